package dev.vigil.schema.avro;

import dev.vigil.schema.VigilSchemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The writer schemas a Vigil reader accepts: the current version of every record type plus every
 * released version committed under {@code dev/vigil/schema/released/}. A reader looks up the
 * fingerprint from a record's header here and resolves old data to the current reader schema.
 */
public final class SchemaCatalog {

    static final String RELEASED_ROOT = "/dev/vigil/schema/released/";

    private static final SchemaCatalog INSTANCE = load();

    private final Map<String, Map<Long, Schema>> byName;
    private final List<String> releasedVersions;

    private SchemaCatalog(Map<String, Map<Long, Schema>> byName, List<String> releasedVersions) {
        this.byName = byName;
        this.releasedVersions = releasedVersions;
    }

    /** The catalog of this build's schemas. */
    public static SchemaCatalog get() {
        return INSTANCE;
    }

    /** The writer schema of record type {@code fullName} with {@code fingerprint}, if known. */
    public Optional<Schema> writerSchema(String fullName, long fingerprint) {
        Map<Long, Schema> versions = byName.get(fullName);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(fingerprint));
    }

    /** Released version labels, oldest first (e.g. {@code v1}). */
    public List<String> releasedVersions() {
        return releasedVersions;
    }

    /**
     * The released schema of {@code simpleName} (e.g. {@code TelemetryEvent}) in {@code version},
     * or empty when that version did not have the type.
     */
    public static Optional<Schema> released(String version, String simpleName) {
        String resource = RELEASED_ROOT + version + "/" + simpleName + ".avsc";
        try (InputStream in = SchemaCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Schema.Parser().parse(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static SchemaCatalog load() {
        List<String> versions = readVersions();
        Map<String, Map<Long, Schema>> byName = new LinkedHashMap<>();
        for (Schema current : VigilSchemas.ALL) {
            Map<Long, Schema> known = new LinkedHashMap<>();
            known.put(SchemaFingerprint.of(current), current);
            for (String version : versions) {
                released(version, current.getName())
                        .ifPresent(s -> known.putIfAbsent(SchemaFingerprint.of(s), s));
            }
            byName.put(current.getFullName(), Collections.unmodifiableMap(known));
        }
        return new SchemaCatalog(Collections.unmodifiableMap(byName), versions);
    }

    private static List<String> readVersions() {
        String resource = RELEASED_ROOT + "versions.txt";
        InputStream in = SchemaCatalog.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("schema resource " + resource + " is missing");
        }
        List<String> versions = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    versions.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return Collections.unmodifiableList(versions);
    }
}

package dev.vigil.operators.threat.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in rule catalogue: JSON files in the rule format under {@code
 * dev/vigil/rules/catalogue/}, listed in its {@code index.txt}. Jobs start with these rules; the
 * {@code rules} topic changes them.
 */
public final class RuleCatalogue {

    private static final String ROOT = "/dev/vigil/rules/catalogue/";

    private RuleCatalogue() {}

    /** The JSON text of every built-in rule, in index order. */
    public static List<String> builtIn() {
        List<String> rules = new ArrayList<>();
        for (String file : lines(ROOT + "index.txt")) {
            rules.add(read(ROOT + file));
        }
        return rules;
    }

    /**
     * The regression fixtures of built-in rule {@code id} ({@code fixtures/<id>.json} beside the
     * catalogue: positive and negative cases, see docs/rules/README.md), or null when it has none.
     */
    public static String fixtures(String id) {
        String resource = ROOT + "fixtures/" + id + ".json";
        if (RuleCatalogue.class.getResource(resource) == null) {
            return null;
        }
        return read(resource);
    }

    private static List<String> lines(String resource) {
        List<String> lines = new ArrayList<>();
        for (String line : read(resource).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    private static String read(String resource) {
        try (InputStream in = RuleCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "rule catalogue resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}

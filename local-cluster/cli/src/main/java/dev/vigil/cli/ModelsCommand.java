package dev.vigil.cli;

import dev.vigil.models.ModelBundle;
import dev.vigil.models.ModelMetadata;
import dev.vigil.models.ModelRejectedException;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.Topic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code vigil models export <name> <dir> | publish <dir> [--version v] [--shadow] [--force] |
 * retire <name>}: the built-in models as files, and model updates on the {@code models} topic,
 * which the running node-inference job loads, checks on a canary batch and switches to without a
 * restart.
 */
final class ModelsCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./vigil models export <name> <dir>     write a built-in model ("
                            + String.join(", ", ModelBundle.BUILT_IN)
                            + ") as model.onnx + metadata.json",
                    "       ./vigil models publish <dir> [--version <v>] [--shadow] [--force]",
                    "                                             publish <dir>/model.onnx with"
                            + " <dir>/metadata.json (--version overrides its version;"
                            + " --shadow scores it on the side only; a version not newer than the"
                            + " serving one is rejected unless --force)",
                    "       ./vigil models retire <name>          stop serving a model (scores"
                            + " fall back to neutral)",
                    "A rejected model shows up in dead-letters (reason code MODEL_REJECTED);"
                            + " the serving version is in every anomalies record.");

    private final ControlPublisher publisher;

    ModelsCommand(ControlPublisher publisher) {
        this.publisher = publisher;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            System.out.println(USAGE);
            return 2;
        }
        String verb = args.remove(0);
        switch (verb) {
            case "export":
                return args.size() == 2 ? export(args.get(0), Path.of(args.get(1))) : usage();
            case "publish":
                {
                    boolean shadow = args.remove("--shadow");
                    boolean force = args.remove("--force");
                    String version = VigilCli.take(args, "--version", null);
                    return args.size() == 1
                            ? publish(Path.of(args.get(0)), version, shadow, force)
                            : usage();
                }
            case "retire":
                return args.size() == 1 ? retire(args.get(0)) : usage();
            default:
                return usage();
        }
    }

    private static int usage() {
        System.err.println(USAGE);
        return 2;
    }

    private static int export(String name, Path dir) {
        if (!ModelBundle.BUILT_IN.contains(name)) {
            System.err.println(
                    "vigil models: no built-in model '"
                            + name
                            + "'; there are "
                            + ModelBundle.BUILT_IN);
            return 1;
        }
        ModelBundle bundle = ModelBundle.builtIn(name);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("model.onnx"), bundle.onnx());
            Files.writeString(
                    dir.resolve("metadata.json"),
                    bundle.metadata().toJson(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("vigil models: cannot write " + dir + ": " + e.getMessage());
            return 1;
        }
        System.out.printf("wrote %s to %s (model.onnx, metadata.json)%n", bundle, dir);
        return 0;
    }

    private int publish(Path dir, String version, boolean shadow, boolean force) {
        byte[] onnx;
        String json;
        try {
            onnx = Files.readAllBytes(dir.resolve("model.onnx"));
            json = Files.readString(dir.resolve("metadata.json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println(
                    "vigil models: "
                            + dir
                            + " must hold model.onnx and metadata.json: "
                            + e.getMessage());
            return 1;
        }
        ModelBundle bundle;
        try {
            ModelMetadata m = ModelMetadata.parse(json);
            if (version != null) {
                json = m.withVersion(version).toJson();
            }
            // the checks that need no model run; the job adds loading and the canary batch
            bundle = ModelBundle.of(onnx, json, null);
        } catch (ModelRejectedException e) {
            System.err.println("vigil models: " + dir + " is not a valid model: " + e.getMessage());
            return 1;
        }
        ModelUpdate update =
                ModelUpdate.newBuilder()
                        .setModelName(bundle.name())
                        .setModelVersion(bundle.version())
                        .setAction("PUBLISH")
                        .setArtifact(ByteBuffer.wrap(onnx))
                        .setMetadataJson(json)
                        .setArtifactSha256(bundle.sha256())
                        .setShadow(shadow)
                        .setForce(force)
                        .setPublishedBy(System.getProperty("user.name", "vigil-cli"))
                        .setPublishedAt(Instant.now())
                        .build();
        publisher.send(Topic.MODELS, bundle.name(), update, ModelUpdate.class);
        System.out.printf(
                "published %s%s to %s; the node-inference job switches after its canary batch"
                        + " (a rejection goes to dead-letters)%n",
                bundle, shadow ? " as a shadow" : "", Topic.MODELS.topicName());
        return 0;
    }

    private int retire(String name) {
        ModelUpdate update =
                ModelUpdate.newBuilder()
                        .setModelName(name)
                        .setModelVersion("-")
                        .setAction("RETIRE")
                        .setPublishedBy(System.getProperty("user.name", "vigil-cli"))
                        .setPublishedAt(Instant.now())
                        .build();
        publisher.send(Topic.MODELS, name, update, ModelUpdate.class);
        System.out.printf("published RETIRE %s to %s%n", name, Topic.MODELS.topicName());
        return 0;
    }
}

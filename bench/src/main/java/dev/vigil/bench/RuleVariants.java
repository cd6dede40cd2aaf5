package dev.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rule sets of a given size for the benchmark, generated from the built-in catalogue. */
public final class RuleVariants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleVariants() {}

    /**
     * {@code count} rules: the built-in ones first (as many as fit), then copies of them under new
     * ids cycling through the catalogue — rules that see the same events as the originals.
     */
    public static ArrayNode matching(int count) {
        List<String> catalogue = RuleCatalogue.builtIn();
        ArrayNode rules = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode rule = parse(catalogue.get(i % catalogue.size()));
            if (i >= catalogue.size()) {
                rule.put("id", rule.get("id").asText() + "-v" + (i / catalogue.size()));
                rule.put(
                        "title",
                        rule.get("title").asText() + " (variant " + (i / catalogue.size()) + ")");
            }
            rules.add(rule);
        }
        return rules;
    }

    /**
     * The built-in catalogue plus rules up to {@code count} that watch an event type the fleet
     * rarely produces (account creation): loaded, but seldom offered an event.
     */
    public static ArrayNode rarelyMatching(int count) {
        ArrayNode rules = matching(RuleCatalogue.builtIn().size());
        for (int i = rules.size(); i < count; i++) {
            ObjectNode rule = JSON.createObjectNode();
            rule.put("id", "account-watch-" + i);
            rule.put("version", 1);
            rule.put("title", "Account created by user " + i);
            rule.put("description", "Generated for the benchmark.");
            rule.put("severity", "SUSPICIOUS");
            rule.putArray("groupBy").add("node");
            rule.set(
                    "scope", parse("{\"field\": \"security.kind\", \"eq\": \"ACCOUNT_CREATION\"}"));
            rule.putArray("steps")
                    .add(
                            parse(
                                    "{\"name\": \"created\", \"where\": {\"field\":"
                                            + " \"security.user\", \"eq\": \"user-"
                                            + i
                                            + "\"}}"));
            rules.add(rule);
        }
        return rules;
    }

    /**
     * {@code docs/rules/examples/file-access-burst.json}: a rule that fires often on the
     * simulator's normal traffic, so that a short live run has alerts to time.
     */
    public static ObjectNode frequentlyFiring() {
        try {
            return parse(Files.readString(Path.of("docs/rules/examples/file-access-burst.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(ArrayNode rules, Path file) {
        try {
            Files.writeString(
                    file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rules));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

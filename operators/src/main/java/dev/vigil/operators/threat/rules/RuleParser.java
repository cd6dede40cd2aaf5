package dev.vigil.operators.threat.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates rules written in Vigil's rule format (documented in docs/rules/README.md,
 * JSON Schema in {@code dev/vigil/rules/rule.schema.json}). Every rejection names the offending
 * field by its JSON path. Plain Java: usable by the CLI to check a rule before publishing it.
 */
public final class RuleParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}[a-z0-9]");
    private static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Set<String> RULE_FIELDS =
            Set.of(
                    "id",
                    "version",
                    "title",
                    "description",
                    "severity",
                    "mitre",
                    "enabled",
                    "groupBy",
                    "scope",
                    "steps",
                    "within",
                    "suppressFor",
                    "exceptions",
                    "$schema");
    private static final Set<String> STEP_FIELDS =
            Set.of(
                    "name",
                    "contiguity",
                    "negated",
                    "where",
                    "times",
                    "consecutive",
                    "optional",
                    "within",
                    "distinct",
                    "sameAs",
                    "periodic");

    private RuleParser() {}

    /** Parses one rule from JSON text, within {@link RuleLimits}. */
    public static RuleDefinition parse(String json) throws RuleValidationException {
        if (json.length() > RuleLimits.MAX_DEFINITION_BYTES
                || json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        > RuleLimits.MAX_DEFINITION_BYTES) {
            throw new RuleValidationException(
                    "",
                    "the definition is larger than " + RuleLimits.MAX_DEFINITION_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleValidationException("", "not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            // Jackson's own limits (number length, nesting) surface as runtime exceptions
            throw new RuleValidationException("", "not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RuleValidationException("", "a rule must be a JSON object");
        }
        return parse(root, json);
    }

    private static RuleDefinition parse(JsonNode root, String source)
            throws RuleValidationException {
        onlyKnown(root, RULE_FIELDS, "");
        String id = text(root, "id", true);
        if (!ID.matcher(id).matches()) {
            throw new RuleValidationException(
                    "id", "'" + id + "' must be 3-64 characters of a-z, 0-9 and '-'");
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.isInt() || versionNode.asInt() < 1) {
            throw new RuleValidationException("version", "must be a whole number >= 1");
        }
        String title = bounded(text(root, "title", true), "title", RuleLimits.MAX_STRING_CHARS);
        String description =
                bounded(
                        text(root, "description", true),
                        "description",
                        RuleLimits.MAX_DESCRIPTION_CHARS);
        String severityText = text(root, "severity", true);
        Severity severity;
        try {
            severity = Severity.valueOf(severityText);
        } catch (IllegalArgumentException e) {
            throw new RuleValidationException(
                    "severity",
                    "'" + severityText + "' is not one of BENIGN, SUSPICIOUS, MALICIOUS, CRITICAL");
        }
        String mitre = text(root, "mitre", false);
        if (mitre != null && !mitre.matches("T\\d{4}(\\.\\d{3})?")) {
            throw new RuleValidationException(
                    "mitre",
                    "'"
                            + mitre
                            + "' is not a MITRE ATT&CK technique id such as T1110 or T1110.001");
        }
        boolean enabled = !root.has("enabled") || bool(root, "enabled", "enabled");
        List<GroupAttribute> groupBy = groupBy(root.get("groupBy"));
        if (!root.has("scope")) {
            throw new RuleValidationException("scope", "is required: the events the rule observes");
        }
        int[] budget = {RuleLimits.MAX_CONDITIONS};
        Condition scope = condition(root.get("scope"), "scope", 0, budget);
        JsonNode stepsNode = root.get("steps");
        if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) {
            throw new RuleValidationException("steps", "must be a non-empty array");
        }
        if (stepsNode.size() > RuleLimits.MAX_STEPS) {
            throw new RuleValidationException(
                    "steps",
                    "has "
                            + stepsNode.size()
                            + " steps; at most "
                            + RuleLimits.MAX_STEPS
                            + " are allowed");
        }
        List<StepDefinition> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < stepsNode.size(); i++) {
            StepDefinition step =
                    step(stepsNode.get(i), "steps[" + i + "]", i, names, steps, budget);
            names.add(step.name());
            steps.add(step);
        }
        StepDefinition last = steps.get(steps.size() - 1);
        Duration within = root.has("within") ? duration(root.get("within"), "within") : null;
        if (last.negated() && within == null && last.withinPrevious() == null) {
            throw new RuleValidationException(
                    "steps[" + (steps.size() - 1) + "].negated",
                    "a rule cannot end with a negated step unless it has a 'within' time");
        }
        if (within != null
                && steps.stream()
                        .anyMatch(
                                s ->
                                        s.withinPrevious() != null
                                                && s.withinPrevious().compareTo(within) > 0)) {
            throw new RuleValidationException(
                    "within", "must not be shorter than any step's 'within'");
        }
        if (within == null && steps.stream().anyMatch(StepDefinition::loops)) {
            throw new RuleValidationException(
                    "within", "is required when a step repeats (times), so partial matches expire");
        }
        Duration suppressFor =
                root.has("suppressFor")
                        ? duration(root.get("suppressFor"), "suppressFor")
                        : Duration.ZERO;
        List<Condition> exceptions = new ArrayList<>();
        JsonNode exceptionsNode = root.get("exceptions");
        if (exceptionsNode != null) {
            if (!exceptionsNode.isArray()) {
                throw new RuleValidationException("exceptions", "must be an array of conditions");
            }
            if (exceptionsNode.size() > RuleLimits.MAX_EXCEPTIONS) {
                throw new RuleValidationException(
                        "exceptions", "at most " + RuleLimits.MAX_EXCEPTIONS + " are allowed");
            }
            for (int i = 0; i < exceptionsNode.size(); i++) {
                exceptions.add(
                        condition(exceptionsNode.get(i), "exceptions[" + i + "]", 0, budget));
            }
        }
        return new RuleDefinition(
                id,
                versionNode.asInt(),
                title,
                description,
                severity,
                mitre,
                enabled,
                groupBy,
                scope,
                List.copyOf(steps),
                within,
                suppressFor,
                List.copyOf(exceptions),
                source);
    }

    private static List<GroupAttribute> groupBy(JsonNode node) throws RuleValidationException {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new RuleValidationException(
                    "groupBy",
                    "must be a non-empty array of node, cluster, site, sensor, user, src_ip,"
                            + " dst_ip");
        }
        Set<GroupAttribute> attributes = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            GroupAttribute a =
                    node.get(i).isTextual() ? GroupAttribute.parse(node.get(i).asText()) : null;
            if (a == null) {
                throw new RuleValidationException(
                        "groupBy[" + i + "]",
                        "'"
                                + node.get(i).asText()
                                + "' is not one of node, cluster, site, sensor, user, src_ip,"
                                + " dst_ip");
            }
            if (!attributes.add(a)) {
                throw new RuleValidationException(
                        "groupBy[" + i + "]", "'" + a.json() + "' appears twice");
            }
        }
        // a canonical order, so equal shapes share one routed copy of each event
        List<GroupAttribute> sorted = new ArrayList<>(attributes);
        sorted.sort(null);
        return List.copyOf(sorted);
    }

    private static StepDefinition step(
            JsonNode node,
            String path,
            int index,
            Set<String> names,
            List<StepDefinition> before,
            int[] budget)
            throws RuleValidationException {
        if (!node.isObject()) {
            throw new RuleValidationException(path, "a step must be an object");
        }
        onlyKnown(node, STEP_FIELDS, path);
        String name = text(node, "name", true, path);
        if (!STEP_NAME.matcher(name).matches()) {
            throw new RuleValidationException(
                    path + ".name", "'" + name + "' must start with a-z and use a-z, 0-9 and '_'");
        }
        if (names.contains(name)) {
            throw new RuleValidationException(
                    path + ".name", "'" + name + "' is used by another step");
        }
        Contiguity contiguity = Contiguity.FOLLOWED_BY;
        if (node.has("contiguity")) {
            contiguity = Contiguity.parse(node.get("contiguity").asText());
            if (contiguity == null) {
                throw new RuleValidationException(
                        path + ".contiguity",
                        "'"
                                + node.get("contiguity").asText()
                                + "' is not one of next, followedBy, followedByAny");
            }
            if (index == 0) {
                throw new RuleValidationException(
                        path + ".contiguity", "the first step has no previous step");
            }
        }
        boolean negated = node.has("negated") && bool(node, "negated", path + ".negated");
        if (negated && index == 0) {
            throw new RuleValidationException(
                    path + ".negated", "the first step cannot be negated");
        }
        if (!node.has("where")) {
            throw new RuleValidationException(path + ".where", "is required");
        }
        Condition where = condition(node.get("where"), path + ".where", 0, budget);
        int min = 1;
        Integer max = 1;
        JsonNode times = node.get("times");
        if (times != null) {
            if (times.isInt()) {
                min = times.asInt();
                max = min;
            } else if (times.isObject()) {
                onlyKnown(times, Set.of("min", "max"), path + ".times");
                min = times.has("min") ? positive(times.get("min"), path + ".times.min") : 1;
                max = times.has("max") ? positive(times.get("max"), path + ".times.max") : null;
                if (max != null && max < min) {
                    throw new RuleValidationException(
                            path + ".times.max", "must not be less than min (" + min + ")");
                }
            } else {
                throw new RuleValidationException(
                        path + ".times", "must be a number or {\"min\": n, \"max\": m}");
            }
            if (min < 1) {
                throw new RuleValidationException(path + ".times", "must be at least 1");
            }
            if (min > RuleLimits.MAX_REPETITIONS
                    || (max != null && max > RuleLimits.MAX_REPETITIONS)) {
                throw new RuleValidationException(
                        path + ".times",
                        "at most "
                                + RuleLimits.MAX_REPETITIONS
                                + " repetitions are allowed (each one is a state of the pattern)");
            }
            if (negated) {
                throw new RuleValidationException(path + ".times", "a negated step cannot repeat");
            }
        }
        boolean loops = max == null || max > 1;
        boolean consecutive =
                node.has("consecutive") && bool(node, "consecutive", path + ".consecutive");
        if (consecutive && !loops) {
            throw new RuleValidationException(
                    path + ".consecutive", "only applies to a step that repeats (times)");
        }
        boolean optional = node.has("optional") && bool(node, "optional", path + ".optional");
        if (optional && (index == 0 || negated)) {
            throw new RuleValidationException(
                    path + ".optional", "the first step and negated steps cannot be optional");
        }
        Duration withinPrevious =
                node.has("within") ? duration(node.get("within"), path + ".within") : null;
        if (withinPrevious != null && index == 0) {
            throw new RuleValidationException(
                    path + ".within",
                    "the first step has no previous event; use the rule's 'within'");
        }
        String distinct = null;
        if (node.has("distinct")) {
            distinct = node.get("distinct").asText();
            if (FieldPath.lookup(distinct) == null) {
                throw new RuleValidationException(
                        path + ".distinct", "unknown field '" + distinct + "'");
            }
            if (!loops) {
                throw new RuleValidationException(
                        path + ".distinct", "only applies to a step that repeats (times)");
            }
        }
        String sameAsField = null;
        String sameAsStep = null;
        if (node.has("sameAs")) {
            JsonNode sameAs = node.get("sameAs");
            onlyKnown(sameAs, Set.of("field", "step"), path + ".sameAs");
            sameAsField = text(sameAs, "field", true, path + ".sameAs");
            sameAsStep = text(sameAs, "step", true, path + ".sameAs");
            if (FieldPath.lookup(sameAsField) == null) {
                throw new RuleValidationException(
                        path + ".sameAs.field", "unknown field '" + sameAsField + "'");
            }
            String target = sameAsStep;
            if (before.stream().noneMatch(s -> s.name().equals(target) && !s.negated())) {
                throw new RuleValidationException(
                        path + ".sameAs.step",
                        "'" + sameAsStep + "' is not an earlier, non-negated step");
            }
        }
        Double tolerance = null;
        Double dispersion = null;
        if (node.has("periodic")) {
            JsonNode periodic = node.get("periodic");
            onlyKnown(periodic, Set.of("tolerance", "dispersion"), path + ".periodic");
            if (periodic.has("tolerance") == periodic.has("dispersion")) {
                throw new RuleValidationException(
                        path + ".periodic",
                        "needs one of tolerance (every gap within a fraction of the first) or"
                                + " dispersion (the gaps' coefficient of variation at most)");
            }
            String measure = periodic.has("tolerance") ? "tolerance" : "dispersion";
            JsonNode value = periodic.get(measure);
            if (!value.isNumber() || value.asDouble() <= 0 || value.asDouble() >= 1) {
                throw new RuleValidationException(
                        path + ".periodic." + measure,
                        "must be a number between 0 and 1 (e.g. 0.1 for +/-10 %)");
            }
            if (measure.equals("tolerance")) {
                tolerance = value.asDouble();
            } else {
                dispersion = value.asDouble();
            }
            if (max == null || max < 3) {
                // two events make one gap: periodicity needs at least two gaps
                if (min < 3) {
                    throw new RuleValidationException(
                            path + ".periodic", "needs times.min >= 3 (two gaps to compare)");
                }
            }
        }
        return new StepDefinition(
                name,
                contiguity,
                negated,
                where,
                min,
                max,
                consecutive,
                optional,
                withinPrevious,
                distinct,
                sameAsField,
                sameAsStep,
                tolerance,
                dispersion);
    }

    /** Parses a condition object. */
    static Condition condition(JsonNode node, String path) throws RuleValidationException {
        return condition(node, path, 0, new int[] {RuleLimits.MAX_CONDITIONS});
    }

    private static Condition condition(JsonNode node, String path, int depth, int[] budget)
            throws RuleValidationException {
        if (depth > RuleLimits.MAX_CONDITION_DEPTH) {
            throw new RuleValidationException(
                    path,
                    "conditions nest deeper than " + RuleLimits.MAX_CONDITION_DEPTH + " levels");
        }
        if (--budget[0] < 0) {
            throw new RuleValidationException(
                    path, "the rule has more than " + RuleLimits.MAX_CONDITIONS + " conditions");
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new RuleValidationException(
                    path,
                    "a condition is an object: {\"field\": ..., \"<op>\": ...}, {\"all\": [...]},"
                            + " {\"any\": [...]} or {\"not\": {...}}");
        }
        if (node.has("all") || node.has("any")) {
            String kind = node.has("all") ? "all" : "any";
            onlyKnown(node, Set.of(kind), path);
            JsonNode parts = node.get(kind);
            if (!parts.isArray() || parts.isEmpty()) {
                throw new RuleValidationException(
                        path + "." + kind, "must be a non-empty array of conditions");
            }
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                conditions.add(
                        condition(
                                parts.get(i),
                                path + "." + kind + "[" + i + "]",
                                depth + 1,
                                budget));
            }
            return kind.equals("all")
                    ? new Condition.All(List.copyOf(conditions))
                    : new Condition.Any(List.copyOf(conditions));
        }
        if (node.has("not")) {
            onlyKnown(node, Set.of("not"), path);
            return new Condition.Not(condition(node.get("not"), path + ".not", depth + 1, budget));
        }
        if (!node.has("field")) {
            throw new RuleValidationException(path, "needs 'field', 'all', 'any' or 'not'");
        }
        String fieldName = node.get("field").asText();
        FieldPath field = FieldPath.lookup(fieldName);
        if (field == null) {
            throw new RuleValidationException(
                    path + ".field",
                    "unknown field '" + fieldName + "'; known fields: " + FieldPath.names());
        }
        Operator op = null;
        JsonNode operandNode = null;
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("field")) {
                continue;
            }
            Operator candidate = Operator.parse(entry.getKey());
            if (candidate == null) {
                throw new RuleValidationException(
                        path + "." + entry.getKey(),
                        "unknown operator; use eq, ne, in, notIn, gt, gte, lt, lte, exists,"
                                + " startsWith or private");
            }
            if (op != null) {
                throw new RuleValidationException(
                        path,
                        "has two operators ("
                                + op.json()
                                + ", "
                                + candidate.json()
                                + "); combine conditions with 'all'");
            }
            op = candidate;
            operandNode = entry.getValue();
        }
        if (op == null) {
            throw new RuleValidationException(path, "needs an operator such as \"eq\"");
        }
        return new Condition.Field(
                field, op, operand(field, op, operandNode, path + "." + op.json()));
    }

    private static Object operand(FieldPath field, Operator op, JsonNode node, String path)
            throws RuleValidationException {
        switch (op) {
            case EXISTS, PRIVATE -> {
                if (!node.isBoolean()) {
                    throw new RuleValidationException(path, "must be true or false");
                }
                if (op == Operator.PRIVATE && field.type() != FieldPath.Type.STRING) {
                    throw new RuleValidationException(path, "applies to IP address fields only");
                }
                return node.asBoolean();
            }
            case GT, GTE, LT, LTE -> {
                if (field.type() != FieldPath.Type.NUMBER) {
                    throw new RuleValidationException(
                            path,
                            "compares numbers, but "
                                    + field.name()
                                    + " is a "
                                    + field.type().name().toLowerCase());
                }
                return number(node, path);
            }
            case IN_NETWORK -> {
                if (field.type() != FieldPath.Type.STRING) {
                    throw new RuleValidationException(path, "applies to IP address fields only");
                }
                if (!node.isArray() || node.isEmpty()) {
                    throw new RuleValidationException(
                            path, "must be a non-empty array of networks such as 10.250.0.0/16");
                }
                if (node.size() > RuleLimits.MAX_LIST_VALUES) {
                    throw new RuleValidationException(
                            path, "at most " + RuleLimits.MAX_LIST_VALUES + " values are allowed");
                }
                List<Network> networks = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    Network n =
                            node.get(i).isTextual() ? Network.parse(node.get(i).asText()) : null;
                    if (n == null) {
                        throw new RuleValidationException(
                                path + "[" + i + "]",
                                "'"
                                        + abbreviate(node.get(i).asText(), 40)
                                        + "' is not an IPv4 network such as 10.250.0.0/16");
                    }
                    networks.add(n);
                }
                return List.copyOf(networks);
            }
            case STARTS_WITH -> {
                if (field.type() != FieldPath.Type.STRING || !node.isTextual()) {
                    throw new RuleValidationException(path, "needs a string field and a string");
                }
                return bounded(node.asText(), path, RuleLimits.MAX_STRING_CHARS);
            }
            case IN, NOT_IN -> {
                if (!node.isArray() || node.isEmpty()) {
                    throw new RuleValidationException(path, "must be a non-empty array");
                }
                if (node.size() > RuleLimits.MAX_LIST_VALUES) {
                    throw new RuleValidationException(
                            path, "at most " + RuleLimits.MAX_LIST_VALUES + " values are allowed");
                }
                Set<Object> values = new LinkedHashSet<>();
                for (int i = 0; i < node.size(); i++) {
                    values.add(scalar(field, node.get(i), path + "[" + i + "]"));
                }
                return Set.copyOf(values);
            }
            default -> {
                return scalar(field, node, path);
            }
        }
    }

    private static Object scalar(FieldPath field, JsonNode node, String path)
            throws RuleValidationException {
        return switch (field.type()) {
            case NUMBER -> number(node, path);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new RuleValidationException(path, "must be true or false");
                }
                yield node.asBoolean();
            }
            case STRING -> {
                if (!node.isTextual()) {
                    throw new RuleValidationException(path, "must be a string");
                }
                yield bounded(node.asText(), path, RuleLimits.MAX_STRING_CHARS);
            }
        };
    }

    private static Double number(JsonNode node, String path) throws RuleValidationException {
        if (!node.isNumber()) {
            throw new RuleValidationException(path, "must be a number");
        }
        double value = node.asDouble();
        if (!Double.isFinite(value)) {
            throw new RuleValidationException(path, "must be a finite number");
        }
        return value;
    }

    /** Parses 500ms, 30s, 10m, 2h or 1d. */
    public static Duration duration(JsonNode node, String path) throws RuleValidationException {
        Matcher m = node.isTextual() ? DURATION.matcher(node.asText()) : null;
        if (m == null || !m.matches()) {
            throw new RuleValidationException(
                    path,
                    "'" + node.asText() + "' is not a duration such as 500ms, 30s, 10m, 2h or 1d");
        }
        String digits = m.group(1);
        // no unit makes more than 30 days of a 12-digit number: longer ones are out of bounds
        // before they could overflow
        long n = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits);
        long millis =
                switch (m.group(2)) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    default -> 86_400_000L;
                };
        if (n == 0) {
            throw new RuleValidationException(path, "must be longer than zero");
        }
        if (n > RuleLimits.MAX_DURATION.toMillis() / millis) {
            throw new RuleValidationException(
                    path,
                    "'"
                            + abbreviate(node.asText(), 40)
                            + "' is longer than the "
                            + RuleLimits.MAX_DURATION.toDays()
                            + " days a rule may span");
        }
        return Duration.ofMillis(n * millis);
    }

    /** {@code value} if at most {@code max} characters, else a rejection naming the bound. */
    private static String bounded(String value, String path, int max)
            throws RuleValidationException {
        if (value != null && value.length() > max) {
            throw new RuleValidationException(
                    path, "is " + value.length() + " characters long; at most " + max);
        }
        return value;
    }

    /** At most {@code max} characters of {@code value}, for a message. */
    static String abbreviate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "…";
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String path)
            throws RuleValidationException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String shown = abbreviate(name, 64);
                throw new RuleValidationException(
                        path.isEmpty() ? shown : path + "." + shown,
                        "unknown property; allowed: " + new java.util.TreeSet<>(known));
            }
        }
    }

    private static int positive(JsonNode node, String path) throws RuleValidationException {
        if (!node.isInt() || node.asInt() < 1) {
            throw new RuleValidationException(path, "must be a whole number >= 1");
        }
        return node.asInt();
    }

    private static boolean bool(JsonNode node, String field, String path)
            throws RuleValidationException {
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new RuleValidationException(path, "must be true or false");
        }
        return value.asBoolean();
    }

    private static String text(JsonNode node, String field, boolean required)
            throws RuleValidationException {
        return text(node, field, required, "");
    }

    private static String text(JsonNode node, String field, boolean required, String path)
            throws RuleValidationException {
        String where = path.isEmpty() ? field : path + "." + field;
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new RuleValidationException(where, "is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new RuleValidationException(where, "must be a non-empty string");
        }
        return value.asText();
    }
}

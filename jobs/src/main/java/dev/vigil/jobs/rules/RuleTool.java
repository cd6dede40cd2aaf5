package dev.vigil.jobs.rules;

import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code vigil rules test} and {@code vigil rules backtest}: a rule tried before it is enabled,
 * against its fixtures ({@link FixtureCheck}) or against stored telemetry ({@link RuleBacktest}),
 * in an embedded MiniCluster. The CLI runs this main in a JVM of its own with Flink's classpath and
 * the job jar; exit code 0 when every case passed (test) or the backtest ran, 1 when a case failed,
 * 2 for a usage or input error.
 */
public final class RuleTool {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: rules test <rule.json | built-in rule id | --built-in> [--fixtures"
                            + " FILE|DIR]",
                    "       rules backtest <rule.json | built-in rule id> --from <instant> --to"
                            + " <instant>",
                    "                      [--bootstrap-servers HOST:PORT] [--topic telemetry]"
                            + " [--labels-topic ground-truth]",
                    "                      [--kafka.properties FILE] [--kafka.<key> <value>]",
                    "                      [--change-windows 02:00-04:00]"
                            + " [--automation-accounts a,b*]");

    private RuleTool() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.size() < 2) {
                throw new UsageException(USAGE);
            }
            return switch (args.get(0)) {
                case "test" -> test(args.subList(1, args.size()), out);
                case "backtest" -> backtest(args.subList(1, args.size()), out);
                default -> throw new UsageException(USAGE);
            };
        } catch (UsageException | FixtureException e) {
            err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("rules: " + e);
            return 2;
        }
    }

    private static int test(List<String> args, PrintStream out) throws Exception {
        String target = args.get(0);
        Path fixtures = null;
        for (int i = 1; i < args.size(); i += 2) {
            if (!args.get(i).equals("--fixtures") || i + 1 >= args.size()) {
                throw new UsageException(USAGE);
            }
            fixtures = Path.of(args.get(i + 1));
        }
        List<Subject> subjects = new ArrayList<>();
        if (target.equals("--built-in")) {
            if (fixtures != null) {
                throw new UsageException("--built-in tests the catalogue's own fixtures");
            }
            for (String rule : RuleCatalogue.builtIn()) {
                subjects.add(builtIn(id(rule, "built-in rule")));
            }
        } else {
            Subject subject = subject(target);
            if (fixtures != null) {
                subject = new Subject(subject.id, subject.rule, readFixtures(fixtures, subject.id));
            }
            subjects.add(subject);
        }
        int cases = 0;
        int failed = 0;
        try (RuleRunner runner = new RuleRunner()) {
            FixtureCheck check = new FixtureCheck(runner);
            for (Subject s : subjects) {
                if (s.fixtures.isEmpty()) {
                    throw new UsageException(
                            "rule " + s.id + " has no fixtures: give --fixtures FILE|DIR");
                }
                for (RuleFixture f : s.fixtures) {
                    out.println("rule " + s.id + " (" + f.source() + ")");
                    for (FixtureCheck.Result r : check.check(s.rule, f)) {
                        out.println(r.describe());
                        cases++;
                        if (!r.passed()) {
                            failed++;
                        }
                    }
                }
            }
        }
        out.printf("%d case%s, %d failed%n", cases, cases == 1 ? "" : "s", failed);
        return failed == 0 ? 0 : 1;
    }

    private static int backtest(List<String> args, PrintStream out) throws Exception {
        Subject subject = subject(args.get(0));
        Instant from = null;
        Instant to = null;
        String bootstrap = null;
        String kafkaProperties = null;
        Map<String, String> kafkaOptions = new TreeMap<>();
        String topic = "telemetry";
        String labels = "ground-truth";
        String windows = OperationsContext.DEFAULT_CHANGE_WINDOWS;
        String automation = "";
        for (int i = 1; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                throw new UsageException(USAGE);
            }
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--from" -> from = instant(value, "--from");
                case "--to" -> to = instant(value, "--to");
                case "--bootstrap-servers" -> bootstrap = value;
                case "--topic" -> topic = value;
                case "--labels-topic" -> labels = value;
                case "--change-windows" -> windows = value;
                case "--automation-accounts" -> automation = value;
                case "--kafka.properties" -> kafkaProperties = value;
                default -> {
                    if (!args.get(i).startsWith("--kafka.")) {
                        throw new UsageException(USAGE);
                    }
                    kafkaOptions.put(args.get(i).substring(2), value);
                }
            }
        }
        if (from == null || to == null) {
            throw new UsageException("backtest needs --from and --to\n" + USAGE);
        }
        if (!to.isAfter(from)) {
            throw new UsageException("--to must be after --from");
        }
        KafkaClientSettings kafka =
                KafkaClientSettings.of(
                        bootstrap == null && kafkaProperties == null ? "localhost:9092" : bootstrap,
                        kafkaProperties == null ? null : Path.of(kafkaProperties),
                        KafkaClientSettings.passThrough(kafkaOptions));
        try (RuleRunner runner = new RuleRunner()) {
            RuleBacktest.Report report =
                    new RuleBacktest(runner, kafka, topic, labels)
                            .withOperations(context(windows, automation))
                            .run(subject.id, subject.rule, from, to);
            out.print(report.describe());
        }
        return 0;
    }

    private record Subject(String id, String rule, List<RuleFixture> fixtures) {}

    /** A rule file (its fixtures beside it as {@code <name>.fixtures.json}) or a built-in id. */
    private static Subject subject(String target) throws IOException {
        Path file = Path.of(target);
        if (!Files.isRegularFile(file)) {
            if (target.endsWith(".json") || target.contains("/")) {
                throw new UsageException("rules: no such rule file: " + target);
            }
            return builtIn(target);
        }
        String rule = Files.readString(file, StandardCharsets.UTF_8);
        String id = id(rule, file.toString());
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path beside = file.resolveSibling(name + ".fixtures.json");
        List<RuleFixture> fixtures =
                Files.isRegularFile(beside) ? readFixtures(beside, id) : List.of();
        return new Subject(id, rule, fixtures);
    }

    private static Subject builtIn(String id) {
        for (String rule : RuleCatalogue.builtIn()) {
            if (id(rule, "built-in rule").equals(id)) {
                String fixtures = RuleCatalogue.fixtures(id);
                return new Subject(
                        id,
                        rule,
                        fixtures == null
                                ? List.of()
                                : List.of(RuleFixture.parse(fixtures, "built-in " + id)));
            }
        }
        throw new UsageException(
                "rules: '" + id + "' is neither a rule file nor a built-in rule id");
    }

    /** The rule's id, validating the whole definition (the reason names the field). */
    private static String id(String rule, String source) {
        try {
            return RuleParser.parse(rule).id();
        } catch (RuleValidationException e) {
            throw new UsageException(source + ": " + e.getMessage());
        }
    }

    /** The fixtures of rule {@code id} in a file, or in every {@code *.json} of a directory. */
    static List<RuleFixture> readFixtures(Path path, String id) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> list = Files.list(path)) {
                list.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            throw new UsageException("rules: no such fixture file or directory: " + path);
        }
        List<RuleFixture> fixtures = new ArrayList<>();
        for (Path f : files) {
            RuleFixture fixture =
                    RuleFixture.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString());
            if (fixture.ruleId().equals(id)) {
                fixtures.add(fixture);
            } else if (!Files.isDirectory(path)) {
                throw new UsageException(
                        f + ": fixtures of rule " + fixture.ruleId() + ", not of " + id);
            }
        }
        return fixtures;
    }

    private static OperationsContext context(String windows, String automation) {
        try {
            return OperationsContext.parse(windows, automation);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--change-windows / --automation-accounts: " + e.getMessage());
        }
    }

    private static Instant instant(String value, String option) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    option + ": '" + value + "' is not an instant such as 2026-01-15T10:00:00Z");
        }
    }

    /** A mistake in the command line or its files; the message says which. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

package dev.vigil.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The documentation's runnable examples: the fenced code blocks of every Markdown file in the
 * repository that follow a {@value #MARKER} line. A {@code bash} block gives one shell command per
 * line (continuation lines joined, comments and blank lines dropped); a {@code sql} block one
 * statement per {@code ;}.
 */
final class DocExamples {

    static final String MARKER = "<!-- vigil:run -->";

    private static final Set<String> SKIPPED = Set.of("target", ".git", ".vigil", "node_modules");

    /** One runnable command or statement and where it is written. */
    record Example(Path file, int line, String language, String code) {

        @Override
        public String toString() {
            return file + ":" + line + " " + code.replaceAll("\\s+", " ");
        }
    }

    private DocExamples() {}

    /** Every runnable example under {@code root}, in file order. */
    static List<Example> in(Path root) {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".md"))
                            .filter(
                                    p ->
                                            root.relativize(p).toString().isEmpty()
                                                    || java.util.stream.StreamSupport.stream(
                                                                    root.relativize(p)
                                                                            .spliterator(),
                                                                    false)
                                                            .noneMatch(
                                                                    part ->
                                                                            SKIPPED.contains(
                                                                                    part
                                                                                            .toString())))
                            .sorted()
                            .toList()) {
                examples.addAll(
                        of(
                                root.relativize(file),
                                Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return examples;
    }

    /** The runnable examples of one file's lines. */
    static List<Example> of(Path file, List<String> lines) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals(MARKER)) {
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).strip().startsWith("```")) {
                throw new IllegalStateException(
                        file + ":" + (i + 1) + ": " + MARKER + " is not followed by a code block");
            }
            String language = lines.get(i + 1).strip().substring(3).strip();
            int start = i + 2;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            List<String> block = lines.subList(start, end);
            switch (language) {
                case "bash", "sh" -> examples.addAll(commands(file, start + 1, block));
                case "sql" -> examples.addAll(statements(file, start + 1, block));
                default ->
                        throw new IllegalStateException(
                                file
                                        + ":"
                                        + (i + 2)
                                        + ": a runnable block must be bash or sql, was '"
                                        + language
                                        + "'");
            }
            i = end;
        }
        return examples;
    }

    private static List<Example> commands(Path file, int first, List<String> block) {
        List<Example> out = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        int at = first;
        for (int j = 0; j < block.size(); j++) {
            String line = block.get(j).strip();
            if (command.length() == 0) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                at = first + j;
            }
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            command.append(line);
            out.add(new Example(file, at, "bash", command.toString()));
            command.setLength(0);
        }
        return out;
    }

    private static List<Example> statements(Path file, int first, List<String> block) {
        List<Example> out = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        int at = first;
        for (int j = 0; j < block.size(); j++) {
            String line = block.get(j);
            if (statement.toString().isBlank()) {
                statement.setLength(0);
                at = first + j;
            }
            statement.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                out.add(new Example(file, at, "sql", statement.toString().strip()));
                statement.setLength(0);
            }
        }
        if (!statement.toString().isBlank()) {
            out.add(new Example(file, at, "sql", statement.toString().strip()));
        }
        return out;
    }
}

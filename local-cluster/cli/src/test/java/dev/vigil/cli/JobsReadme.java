package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The manual {@code flink run} lines of jobs/README.md, as words with the variables expanded. */
final class JobsReadme {

    private static final Pattern VARIABLE = Pattern.compile("^(\\w+)=\"?([^\"]*)\"?$");

    private JobsReadme() {}

    /**
     * Each {@code flink run} line of the block that starts with {@code JAR=}, split into words,
     * after replacing each key of {@code replacements} (e.g. a path of the example) in the block.
     */
    static List<List<String>> flinkRunLines(Map<String, String> replacements) throws IOException {
        String readme = Files.readString(Path.of("../../jobs/README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```\nJAR=");
        String block =
                readme.substring(start + 4, readme.indexOf("```", start + 4)).replace("\\\n", " ");
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            block = block.replace(r.getKey(), r.getValue());
        }
        Map<String, String> vars = new HashMap<>();
        List<List<String>> lines = new ArrayList<>();
        for (String line : block.lines().toList()) {
            Matcher var = VARIABLE.matcher(line);
            if (var.matches()) {
                vars.put(var.group(1), var.group(2));
                continue;
            }
            String expanded = line;
            for (Map.Entry<String, String> v : vars.entrySet()) {
                expanded = expanded.replace("$" + v.getKey(), v.getValue());
            }
            lines.add(List.of(expanded.trim().split("\\s+")));
        }
        return lines;
    }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocExamplesTest {

    @Test
    void markedBlocksGiveOneCommandALineAndOneStatementASemicolon() {
        List<String> lines =
                List.of(
                        "Try:",
                        "",
                        DocExamples.MARKER,
                        "```bash",
                        "# a comment",
                        "./vigil status          # processes",
                        "java -cp 'x/*' A.java \\",
                        "    one two",
                        "```",
                        "```bash",
                        "./vigil down            # not marked",
                        "```",
                        DocExamples.MARKER,
                        "```sql",
                        "DESCRIBE carbon;",
                        "",
                        "SELECT 1",
                        "FROM t;",
                        "```");

        assertThat(DocExamples.of(Path.of("README.md"), lines))
                .containsExactly(
                        new DocExamples.Example(
                                Path.of("README.md"),
                                6,
                                "bash",
                                "./vigil status          # processes"),
                        new DocExamples.Example(
                                Path.of("README.md"), 7, "bash", "java -cp 'x/*' A.java  one two"),
                        new DocExamples.Example(
                                Path.of("README.md"), 15, "sql", "DESCRIBE carbon;"),
                        new DocExamples.Example(
                                Path.of("README.md"), 17, "sql", "SELECT 1\nFROM t;"));
    }

    @Test
    void aMarkerWithoutARunnableBlockIsAnError() {
        assertThatThrownBy(
                        () ->
                                DocExamples.of(
                                        Path.of("a.md"),
                                        List.of(DocExamples.MARKER, "```json", "{}", "```")))
                .hasMessageContaining("a.md:2: a runnable block must be bash or sql");
        assertThatThrownBy(
                        () -> DocExamples.of(Path.of("a.md"), List.of(DocExamples.MARKER, "text")))
                .hasMessageContaining("a.md:1: " + DocExamples.MARKER + " is not followed");
    }

    @Test
    void theRepositoryDocumentsRunnableExamplesInEachPlaceTheyAreWritten() {
        List<DocExamples.Example> all =
                DocExamples.in(Path.of("../..").toAbsolutePath().normalize());
        assertThat(all.stream().map(e -> e.file().toString()).distinct())
                .contains(
                        "README.md",
                        "local-cluster/README.md",
                        "docs/rules/README.md",
                        "docs/sql/01-dead-letters-by-reason.md",
                        "docs/sql/10-net-carbon-after-credits.md");
        assertThat(all.stream().filter(e -> e.language().equals("sql")).count()).isEqualTo(12);
        assertThat(all.stream().filter(e -> e.code().startsWith("./vigil ")).count()).isEqualTo(11);
    }
}

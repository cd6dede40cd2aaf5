package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.local.process.LaunchException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlClientTest {

    @Test
    void keepsTheResultAndDropsBannerPromptEchoAndColours() {
        String raw =
                String.join(
                        "\n",
                        "Successfully initialized from sql script: .vigil/sql/init.sql",
                        "\u001B[34;1m[INFO] Executing SQL from file.\u001B[0m",
                        "",
                        "Command history file path: /root/.flink-sql-history",
                        "Flink SQL> SELECT reason_code, COUNT(*)+---------------------+---------+",
                        "|         reason_code | records |",
                        "+---------------------+---------+",
                        "|            NOT_AVRO |       2 |",
                        "+---------------------+---------+",
                        "1 row in set (2.84 seconds)",
                        "",
                        "Flink SQL> ",
                        "Shutting down the session...",
                        "done.");

        assertThat(SqlClient.clean(raw))
                .isEqualTo(
                        String.join(
                                "\n",
                                "+---------------------+---------+",
                                "|         reason_code | records |",
                                "+---------------------+---------+",
                                "|            NOT_AVRO |       2 |",
                                "+---------------------+---------+",
                                "1 row in set (2.84 seconds)",
                                ""));
    }

    @Test
    void keepsErrors() {
        String raw =
                "Flink SQL> SELECT x[ERROR] Could not execute SQL statement. Reason:\n"
                        + "Column 'x' not found";

        assertThat(SqlClient.clean(raw))
                .isEqualTo("[ERROR] Could not execute SQL statement: Column 'x' not found\n");
    }

    @Test
    void aParseErrorIsCutToItsMessageAndPosition() {
        String raw =
                String.join(
                        "\n",
                        "Flink SQL> SELECT value FROM alerts[ERROR] Could not execute SQL"
                                + " statement. Reason:",
                        "org.apache.flink.sql.parser.impl.ParseException: Encountered \"value\" at"
                                + " line 1, column 8.",
                        "Was expecting one of:",
                        "    \"ABS\" ...",
                        "    \"ALL\" ...",
                        "    \"ARRAY\" ...",
                        "",
                        "Flink SQL> ",
                        "Shutting down the session...",
                        "done.");

        assertThat(SqlClient.clean(raw))
                .isEqualTo(
                        "[ERROR] Could not execute SQL statement: Encountered \"value\" at line 1,"
                                + " column 8.\n");
    }

    @Test
    void theEchoOfAMultiLineStatementIsDroppedToo() {
        String raw =
                String.join(
                        "\n",
                        "Flink SQL> SELECT node_id,",
                        "> COUNT(*) AS n",
                        "> FROM node_health GROUP BY node_id+---------+---+",
                        "| node_id | n |",
                        "+---------+---+",
                        "0 rows in set",
                        "");

        assertThat(SqlClient.clean(raw))
                .isEqualTo(
                        String.join(
                                "\n",
                                "+---------+---+",
                                "| node_id | n |",
                                "+---------+---+",
                                "0 rows in set",
                                ""));
    }

    @Test
    void beforeTheFirstUpItSaysToStartTheStack(@TempDir Path dir) {
        Path data = dir.resolve("never-up");
        assertThatThrownBy(
                        () ->
                                VigilCli.run(
                                        new String[] {
                                            "--data", data.toString(), "sql", "-e", "SELECT 1"
                                        }))
                .isInstanceOf(LaunchException.class)
                .hasMessage("the SQL Gateway is not running: start the stack with ./vigil up");
        assertThat(Files.exists(data.resolve("sql"))).isFalse();
    }
}

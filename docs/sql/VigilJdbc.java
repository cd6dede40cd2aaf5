import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Properties;

/**
 * A plain JDBC client of Vigil's tables (docs/sql/JDBC.md). Run it without compiling:
 *
 * <pre>
 * java -cp 'local-cluster/cli/target/jdbc/*' docs/sql/VigilJdbc.java \
 *     jdbc:flink://localhost:8083/vigil/topics \
 *     "SELECT node_id, COUNT(*) AS windows FROM node_health GROUP BY node_id"
 * </pre>
 *
 * Prints the column names, then one tab-separated line per row.
 */
public class VigilJdbc {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: VigilJdbc <jdbc-url> <query>");
            System.exit(2);
        }
        Properties session = new Properties();
        // a query reads what the topics hold when it starts, and finishes
        session.setProperty("execution.runtime-mode", "batch");
        session.setProperty("table.local-time-zone", "UTC");
        try (Connection connection = DriverManager.getConnection(args[0], session);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(args[1])) {
            ResultSetMetaData columns = rows.getMetaData();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                header.append(i > 1 ? "\t" : "").append(columns.getColumnName(i));
            }
            System.out.println(header);
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    // getObject: the driver's getString does not convert numbers
                    line.append(i > 1 ? "\t" : "").append(rows.getObject(i));
                }
                System.out.println(line);
            }
        }
    }
}

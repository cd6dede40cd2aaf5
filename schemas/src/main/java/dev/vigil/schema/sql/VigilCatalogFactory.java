package dev.vigil.schema.sql;

import dev.vigil.schema.kafka.KafkaClientSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code CREATE CATALOG vigil WITH ('type' = 'vigil', 'bootstrap.servers' = 'broker:9092')}: the
 * {@link VigilCatalog} over the topics of the Kafka cluster at {@code bootstrap.servers}. Kafka
 * client settings (security protocol, SASL, trust store) are given as {@code properties.<key>}
 * options, as for Flink's Kafka tables. The jar that holds this class (vigil-schemas) goes on the
 * SQL Gateway's classpath, beside Flink's Kafka connector and Avro format.
 */
public final class VigilCatalogFactory implements CatalogFactory {

    public static final String IDENTIFIER = FlinkSqlTables.CATALOG_TYPE;

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("bootstrap.servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The Kafka cluster that holds Vigil's topics.");

    public static final ConfigOption<String> DATABASE =
            ConfigOptions.key("default-database")
                    .stringType()
                    .defaultValue(FlinkSqlTables.CATALOG_DATABASE)
                    .withDescription("The database that holds one table per topic.");

    /** Prefix of the Kafka client properties of every table. */
    public static final String PROPERTIES_PREFIX = FlinkSqlTables.CATALOG_PROPERTIES_PREFIX;

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(BOOTSTRAP_SERVERS);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(DATABASE);
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper =
                FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validateExcept(PROPERTIES_PREFIX);
        Map<String, String> properties = new TreeMap<>();
        context.getOptions()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith(PROPERTIES_PREFIX)) {
                                properties.put(key.substring(PROPERTIES_PREFIX.length()), value);
                            }
                        });
        KafkaClientSettings kafka =
                new KafkaClientSettings(helper.getOptions().get(BOOTSTRAP_SERVERS), properties);
        return new VigilCatalog(context.getName(), helper.getOptions().get(DATABASE), kafka);
    }
}

package dev.vigil.local.kafka;

import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates Vigil's topics with their partition counts and settings; existing topics are left alone.
 */
public final class TopicSetup {

    private TopicSetup() {}

    /** Creates every {@link Topic} that does not exist yet; returns the names it created. */
    public static List<String> createAll(Properties adminProperties) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            topics.add(newTopic(topic.topicName(), topic.defaultPartitions(), topic.config()));
        }
        return create(adminProperties, topics);
    }

    /** A topic with one replica (the local broker is a single node). */
    public static NewTopic newTopic(String name, int partitions, Map<String, String> config) {
        return new NewTopic(name, partitions, (short) 1).configs(config);
    }

    /** Creates {@code topics} that do not exist yet; returns the names it created. */
    public static List<String> create(Properties adminProperties, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException e) {
            throw new LaunchException("cannot create topics: " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new LaunchException("cannot create topics: " + e.getMessage(), e);
        }
    }
}

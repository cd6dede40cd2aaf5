package dev.vigil.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class StackPrincipalsTest {

    @Test
    void everyControlAndTrustTopicHasExactlyTheWritersItsRoleNeeds() {
        assertThat(writers(Topic.TELEMETRY)).containsExactly("User:sensor", "User:simulator");
        assertThat(writers(Topic.RULES)).containsExactly("User:operator");
        assertThat(writers(Topic.MODELS)).containsExactly("User:operator");
        assertThat(writers(Topic.APPROVALS)).containsExactly("User:approver");
        assertThat(writers(Topic.REMEDIATION_COMMANDS)).containsExactly("User:job-remediation");
        assertThat(writers(Topic.REMEDIATION_RESULTS))
                .containsExactly("User:agent", "User:job-remediation");
        assertThat(writers(Topic.AUDIT)).containsExactly("User:job-audit");
        assertThat(writers(Topic.AUDIT_CHECKPOINTS)).containsExactly("User:job-audit");
        assertThat(writers(Topic.GROUND_TRUTH)).containsExactly("User:simulator");
        assertThat(writers(Topic.ALERTS))
                .containsExactly("User:job-carbon", "User:job-threat-detection");
    }

    @Test
    void sensorsReadNothingAndNobodyButJobsAndOperatorsReadsRawTelemetry() {
        assertThat(readers(Topic.TELEMETRY))
                .containsExactly(
                        "User:job-carbon",
                        "User:job-node-health",
                        "User:job-node-inference",
                        "User:job-threat-detection",
                        "User:operator");
        List<AclOperation> sensor =
                StackPrincipals.bindings().stream()
                        .filter(b -> b.entry().principal().equals("User:sensor"))
                        .map(b -> b.entry().operation())
                        .toList();
        assertThat(sensor).containsExactly(AclOperation.WRITE);
    }

    @Test
    void eachJobsTransactionalIdsAreItsOwn() {
        Set<String> transactional =
                StackPrincipals.bindings().stream()
                        .filter(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID)
                        .map(b -> b.entry().principal() + "=" + b.pattern().name())
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(transactional)
                .containsExactly(
                        "User:job-audit=vigil-audit",
                        "User:job-carbon=vigil-carbon",
                        "User:job-node-health=vigil-node-health",
                        "User:job-node-inference=vigil-node-inference",
                        "User:job-remediation=vigil-remediation",
                        "User:job-threat-detection=vigil-threat-detection");
    }

    @Test
    void theSecurityDocumentShowsTheTableTheBrokerEnforces() throws Exception {
        String doc = Files.readString(Path.of("../../docs/SECURITY.md"), StandardCharsets.UTF_8);
        assertThat(doc).contains(StackPrincipals.markdownTable());
    }

    private static Set<String> writers(Topic topic) {
        return principals(topic, AclOperation.WRITE);
    }

    private static Set<String> readers(Topic topic) {
        return principals(topic, AclOperation.READ);
    }

    private static Set<String> principals(Topic topic, AclOperation operation) {
        List<AclBinding> bindings = StackPrincipals.bindings();
        return bindings.stream()
                .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC)
                .filter(b -> b.pattern().name().equals(topic.topicName()))
                .filter(b -> b.entry().operation() == operation)
                .map(b -> b.entry().principal())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}

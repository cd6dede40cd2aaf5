package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {

    @Test
    void versionsSortAsSemanticVersioningOrdersThem() {
        List<String> ordered =
                List.of(
                        "0.9",
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0",
                        "1.0.1-it",
                        "1.0.1",
                        "1.9.0",
                        "1.10.0",
                        "2",
                        "2.0.1",
                        "10.0.0");
        List<String> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(3));
        shuffled.sort(ModelVersions.ORDER);
        assertThat(shuffled).isEqualTo(ordered);
    }

    @Test
    void onlyAStrictlyLaterVersionIsNewer() {
        assertThat(ModelVersions.newer("1.1.0", "1.0.0")).isTrue();
        assertThat(ModelVersions.newer("1.0.0", "1.0.0")).isFalse();
        assertThat(ModelVersions.newer("1.0", "1.0.0")).isFalse();
        assertThat(ModelVersions.newer("1.0.0", "1.2.0")).isFalse();
        assertThat(ModelVersions.newer("2.0.0-rc1", "2.0.0")).isFalse();
        assertThat(ModelVersions.newer("9.9.9-corrupt", "1.0.0")).isTrue();
        assertThat(ModelVersions.newer("001.2", "1.10")).isFalse();
    }
}

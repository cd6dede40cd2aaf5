package dev.vigil.operators.inference;

import dev.vigil.operators.ingest.ControlLimits;
import dev.vigil.operators.ingest.Rejection;
import dev.vigil.schema.ModelUpdate;

/**
 * Bounds on a {@code ModelUpdate} beyond its schema, checked as it is read (the model itself is
 * checked when it is installed, see {@code ModelBundle}).
 */
public final class ModelUpdateLimits {

    /** Longest metadata JSON accepted. */
    public static final int MAX_METADATA_CHARS = 1024 * 1024;

    private ModelUpdateLimits() {}

    /** Why {@code u} is rejected, or null. */
    public static Rejection check(ModelUpdate u, long referenceTime) {
        Rejection r;
        if ((r = ControlLimits.name("model_name", u.getModelName())) != null
                || (r = ControlLimits.name("model_version", u.getModelVersion())) != null
                || (r = ControlLimits.oneOf("action", u.getAction(), "PUBLISH", "RETIRE")) != null
                || (r = ControlLimits.name("published_by", u.getPublishedBy())) != null
                || (r =
                                ControlLimits.text(
                                        "metadata_json", u.getMetadataJson(), MAX_METADATA_CHARS))
                        != null
                || (r =
                                ControlLimits.text(
                                        "artifact_sha256",
                                        u.getArtifactSha256(),
                                        ControlLimits.MAX_NAME_CHARS))
                        != null
                || (r = ControlLimits.time("published_at", u.getPublishedAt(), referenceTime))
                        != null) {
            return r;
        }
        return null;
    }
}

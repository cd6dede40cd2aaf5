package dev.vigil.models;

import java.util.Comparator;

/**
 * The order of model versions, as semantic versioning orders them: dot-separated release numbers
 * compared as numbers ({@code 1.10.0 > 1.9.0}, a missing part is 0), then a version with a
 * pre-release suffix after {@code -} before the same version without one ({@code 2.0.0-rc1 <
 * 2.0.0}), suffixes compared part by part. Parts that are not numbers compare as text, so every
 * pair of strings is ordered.
 */
public final class ModelVersions {

    /** Oldest first. */
    public static final Comparator<String> ORDER = ModelVersions::compare;

    private ModelVersions() {}

    /** Whether {@code candidate} is newer than {@code current}. */
    public static boolean newer(String candidate, String current) {
        return compare(candidate, current) > 0;
    }

    static int compare(String a, String b) {
        String[] ra = splitPreRelease(a);
        String[] rb = splitPreRelease(b);
        int c = compareParts(ra[0].split("\\."), rb[0].split("\\."), "0");
        if (c != 0) {
            return c;
        }
        if (ra[1] == null || rb[1] == null) {
            // a release follows its pre-releases
            return ra[1] == null ? (rb[1] == null ? 0 : 1) : -1;
        }
        return compareParts(ra[1].split("\\."), rb[1].split("\\."), null);
    }

    private static String[] splitPreRelease(String v) {
        int dash = v.indexOf('-');
        return dash < 0
                ? new String[] {v, null}
                : new String[] {v.substring(0, dash), v.substring(dash + 1)};
    }

    /** Part by part; a missing part is {@code missing}, or sorts first when that is null. */
    private static int compareParts(String[] a, String[] b, String missing) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String pa = i < a.length ? a[i] : missing;
            String pb = i < b.length ? b[i] : missing;
            if (pa == null || pb == null) {
                return pa == null ? -1 : 1;
            }
            int c = comparePart(pa, pb);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int comparePart(String a, String b) {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na && nb) {
            String ta = a.replaceFirst("^0+(?=.)", "");
            String tb = b.replaceFirst("^0+(?=.)", "");
            return ta.length() != tb.length()
                    ? Integer.compare(ta.length(), tb.length())
                    : ta.compareTo(tb);
        }
        // numbers before words, as semantic versioning orders pre-release identifiers
        return na ? -1 : nb ? 1 : a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}

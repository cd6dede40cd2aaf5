package dev.vigil.simulator.scenario;

import dev.vigil.schema.SecurityEvent;

/** Builders of the security events normal traffic and scenarios emit. */
public final class Security {

    private Security() {}

    public static SecurityEvent authSuccess(String user, String factor, String srcIp) {
        return SecurityEvent.newBuilder()
                .setKind("AUTH_SUCCESS")
                .setUser(user)
                .setAuthFactor(factor)
                .setSrcIp(srcIp)
                .setDstPort(22)
                .build();
    }

    public static SecurityEvent authFailure(
            String user, String factor, String reason, String srcIp) {
        return SecurityEvent.newBuilder()
                .setKind("AUTH_FAILURE")
                .setUser(user)
                .setAuthFactor(factor)
                .setFailureReason(reason)
                .setSrcIp(srcIp)
                .setDstPort(22)
                .build();
    }

    public static SecurityEvent connection(String srcIp, String dstIp, int dstPort, long bytes) {
        return SecurityEvent.newBuilder()
                .setKind("CONNECTION")
                .setSrcIp(srcIp)
                .setSrcPort(32768 + (int) (Math.abs(bytes * 31 + dstPort) % 28000))
                .setDstIp(dstIp)
                .setDstPort(dstPort)
                .setProtocol("TCP")
                .setBytes(bytes)
                .build();
    }

    public static SecurityEvent portProbe(String srcIp, String dstIp, int dstPort) {
        return SecurityEvent.newBuilder()
                .setKind("PORT_PROBE")
                .setSrcIp(srcIp)
                .setDstIp(dstIp)
                .setDstPort(dstPort)
                .setProtocol("TCP")
                .build();
    }

    public static SecurityEvent processStart(String user, String process) {
        return SecurityEvent.newBuilder()
                .setKind("PROCESS_START")
                .setUser(user)
                .setProcessName(process)
                .build();
    }

    public static SecurityEvent privilegeChange(String user, String granted) {
        return SecurityEvent.newBuilder()
                .setKind("PRIVILEGE_CHANGE")
                .setUser(user)
                .setTarget(granted)
                .build();
    }

    public static SecurityEvent accountCreation(String user, String account) {
        return SecurityEvent.newBuilder()
                .setKind("ACCOUNT_CREATION")
                .setUser(user)
                .setTarget(account)
                .build();
    }

    public static SecurityEvent fileAccess(String user, String path) {
        return SecurityEvent.newBuilder()
                .setKind("FILE_ACCESS")
                .setUser(user)
                .setTarget(path)
                .build();
    }

    public static SecurityEvent configChange(String user, String key) {
        return SecurityEvent.newBuilder()
                .setKind("CONFIG_CHANGE")
                .setUser(user)
                .setTarget(key)
                .build();
    }
}

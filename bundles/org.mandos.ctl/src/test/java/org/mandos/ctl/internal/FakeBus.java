package org.mandos.ctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server in memory: the clients' properties by path, and the calls made. */
final class FakeBus implements MandosBus {

    final LinkedHashMap<String, Map<String, Object>> clients = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    String connectFailure;

    static Map<String, Object> client(String name, boolean enabled, long timeout, String lastCheckedOk) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", name);
        p.put("Enabled", enabled);
        p.put("Timeout", timeout);
        p.put("LastCheckedOK", lastCheckedOk);
        p.put("Created", "2019-02-03T00:00:00");
        p.put("Interval", 120000L);
        p.put("Host", "host-" + name);
        p.put("KeyID", "KEYID");
        p.put("Fingerprint", "FPR");
        p.put("CheckerRunning", false);
        p.put("LastEnabled", "2019-02-03T00:00:00");
        p.put("ApprovalPending", false);
        p.put("ApprovedByDefault", true);
        p.put("LastApprovalRequest", "");
        p.put("ApprovalDelay", 0L);
        p.put("ApprovalDuration", 1000L);
        p.put("Checker", "fping -q -- %(host)s");
        p.put("ExtendedTimeout", 900000L);
        p.put("Expires", "");
        p.put("LastCheckerStatus", -2);
        p.put("ObjectPath", "/clients/" + name);
        return p;
    }

    FakeBus with(Map<String, Object> client) {
        clients.put("/clients/" + client.get("Name").toString().replace('-', '_'), client);
        return this;
    }

    @Override
    public LinkedHashMap<String, Map<String, Object>> clientsAndProperties() throws ConnectFailed {
        if (connectFailure != null) {
            throw new ConnectFailed(connectFailure);
        }
        return clients;
    }

    @Override
    public void setClientProperty(String path, String property, Object value) {
        calls.add("Set " + path + " " + property + " " + PythonText.reprValue(value));
    }

    @Override
    public void callClientMethod(String path, String method, Object... args) {
        calls.add(method + " " + path + " " + PythonText.reprValue(args[0]));
    }

    @Override
    public void callServerMethod(String method, Object... args) {
        calls.add(method + " " + args[0]);
    }

    @Override
    public void close() {
    }
}

package org.mandos.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a result was measured on. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static Json.Obj collect() {
        String cpu = ServerRunner.ProcStats.firstLine(Path.of("/proc/cpuinfo"), "model name")
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        String mem = ServerRunner.ProcStats.firstLine(Path.of("/proc/meminfo"), "MemTotal:")
                .map(l -> l.substring(9).trim()).orElse("unknown");
        String kernel;
        String load;
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (Exception e) {
            kernel = System.getProperty("os.version");
        }
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            load = "unknown";
        }
        return Json.obj().put("nproc", Runtime.getRuntime().availableProcessors()).put("cpu_model", cpu)
                .put("mem_total", mem).put("os", System.getProperty("os.name") + " " + kernel)
                .put("java_version", System.getProperty("java.version"))
                .put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
                .put("loadavg_at_start", load);
    }

    public static String describe(Json.Obj info) {
        return info.get("nproc") + " CPUs (" + info.get("cpu_model") + "), " + info.get("mem_total") + " RAM, "
                + info.get("os") + ", Java " + info.get("java_version") + "; load " + info.get("loadavg_at_start");
    }
}

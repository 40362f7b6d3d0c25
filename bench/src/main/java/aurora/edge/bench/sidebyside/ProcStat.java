package aurora.edge.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of a process from {@code /proc}: utime + stime of {@code /proc/PID/stat} (the
 * process's line sums all its threads), VmRSS and VmHWM (peak RSS) of {@code /proc/PID/status}.
 */
final class ProcStat {
    /** USER_HZ: 100 on every Linux ABI the bench runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStat() {}

    /** CPU seconds {@code pid} has used so far (all threads), or -1 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14, stime 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU seconds the JIT compiler threads of JVM {@code pid} have used so far (HotSpot names them
     * {@code C1 CompilerThreadN} / {@code C2 CompilerThreadN}; the kernel keeps 15 characters), or -1
     * when the process is gone. Compiler threads come and go with the JIT's load, so a thread that
     * ended inside the window is missed: a floor.
     */
    static double jitCpuSeconds(long pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            long ticks = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException e) {
                    // the thread ended between list and read
                }
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double ownCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid());
    }

    static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    static long peakRssBytes(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

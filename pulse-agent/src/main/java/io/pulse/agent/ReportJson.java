package io.pulse.agent;

import com.fasterxml.jackson.jr.ob.JSON;
import io.pulse.transport.sim.Durations;
import io.pulse.transport.sim.Fault;
import io.pulse.transport.sim.RunReport;
import io.pulse.transport.sim.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The JSON form of a {@link RunReport}, as {@code pulse sim --json} prints it. Field names are a contract with
 * tools (README, "pulse sim"): add fields, never rename them. Absent values are {@code null}.
 */
final class ReportJson {

    private ReportJson() {
    }

    /** The report as one JSON object on one line. */
    static String write(RunReport r) {
        try {
            return JSON.std.asString(toMap(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report as ordered maps and lists. */
    static Map<String, Object> toMap(RunReport r) {
        RunSpec s = r.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", r.seed());
        m.put("nodes", r.nodes());
        m.put("virtualSeconds", r.virtualSeconds());
        m.put("wallSeconds", round(r.wallSeconds(), 3));
        m.put("events", r.events());
        m.put("delivered", r.delivered());
        m.put("lost", r.lost());
        m.put("deliveredPerWallSecond", Math.round(r.deliveredPerWallSecond()));
        m.put("digest", r.digestHex());
        m.put("falsePositives", r.falsePositives());
        m.put("falseSuspicions", r.falseSuspicions());
        m.put("falseSuspicionsOfSlowMembers", r.falseSuspicionsOfSlowMembers());
        m.put("undetected", r.undetected());
        List<Object> failures = new ArrayList<>();
        for (RunReport.Failure f : r.failures()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("node", f.node());
            fm.put("atMs", f.atMs());
            fm.put("firstSuspectMs", value(f.firstSuspectMs()));
            fm.put("firstDeadMs", value(f.firstDeadMs()));
            fm.put("allKnowMs", value(f.allKnowMs()));
            fm.put("knew", f.knew());
            fm.put("ofLive", f.ofLive());
            failures.add(fm);
        }
        m.put("failures", failures);
        RunReport.Detection d = r.detection();
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("firstDeadP50Ms", value(d.firstDeadP50Ms()));
        dm.put("firstDeadP99Ms", value(d.firstDeadP99Ms()));
        dm.put("allKnowP50Ms", value(d.allKnowP50Ms()));
        dm.put("allKnowP99Ms", value(d.allKnowP99Ms()));
        dm.put("probeIntervalMs", d.probeIntervalMs());
        dm.put("firstDeadP50Periods", finite(d.firstDeadP50Periods()));
        dm.put("allKnowP50Periods", finite(d.allKnowP50Periods()));
        m.put("detection", dm);
        m.put("messagesPerMemberPerSecond", rate(r.messagesPerMemberPerSecond()));
        m.put("bytesPerMemberPerSecond", rate(r.bytesPerMemberPerSecond()));
        List<Object> conv = new ArrayList<>();
        for (OptionalLong c : r.convergenceMs()) {
            conv.add(value(c));
        }
        m.put("convergenceMs", conv);
        List<Object> alarms = new ArrayList<>();
        for (RunReport.FalseAlarm a : r.falseAlarms()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("kind", a.kind());
            am.put("atMs", a.atMs());
            am.put("observer", a.observer());
            am.put("member", a.member());
            alarms.add(am);
        }
        m.put("falseAlarms", alarms);
        m.put("falseAlarmsNotListed", r.falsePositives() + r.falseSuspicions() - alarms.size());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("preset", s.preset());
        config.put("localHealth", s.localHealth());
        config.put("directMonitorThreshold", s.directMonitorThreshold());
        config.put("probeIntervalMs", s.config().probeIntervalNs() / 1_000_000L);
        config.put("slowUnitMs", s.slowUnitNs() / 1_000_000L);
        config.put("latency", s.network().latency().toString());
        config.put("loss", s.network().loss());
        config.put("duplicate", s.network().duplicate());
        config.put("reorder", s.network().reorder());
        config.put("reorderWithinMs", s.network().reorderDelayNs() / 1e6);
        config.put("durationMs", s.durationNs() / 1_000_000L);
        m.put("config", config);
        List<Object> faults = new ArrayList<>();
        for (Fault f : s.schedule().faults()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("atMs", f.atNs() / 1_000_000L);
            fm.put("kind", f.keyword());
            fm.put("text", f.toString());
            faults.add(fm);
        }
        m.put("faults", faults);
        m.put("schedule", s.schedule().toLine());
        m.put("replay", s.commandLine());
        RunReport.Timeline t = r.timeline();
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("bucketMs", t.bucketMs());
        tm.put("messages", t.messages());
        tm.put("bytes", t.bytes());
        tm.put("suspicions", t.suspicions());
        tm.put("deaths", t.deaths());
        m.put("timeline", tm);
        m.put("detectionLatenciesMs", r.detectionLatenciesMs());
        return m;
    }

    private static Map<String, Object> rate(RunReport.Rate rate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", round(rate.mean(), 3));
        m.put("max", round(rate.max(), 3));
        return m;
    }

    private static Object value(OptionalLong v) {
        return v.isPresent() ? (Object) v.getAsLong() : null;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? (Object) round(v, 3) : null;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /** A duration for people, as the simulator writes it. */
    static String duration(long ns) {
        return Durations.format(ns);
    }
}

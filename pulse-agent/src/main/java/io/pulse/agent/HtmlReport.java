package io.pulse.agent;

import io.pulse.transport.sim.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML page of {@code pulse sim --report FILE.html}: one self-contained file that works offline. The charting
 * library (uPlot, from its webjar on the module or class path) and the report's data are inlined in the page; it
 * loads nothing from anywhere. Charts: the detection-latency distribution, messages per second over time, and the
 * timeline of faults, suspicions and deaths; tables: the summary and every failure.
 */
final class HtmlReport {

    /** The uPlot webjar's version (the parent POM's {@code version.lib.uplot}). */
    static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT_DIR = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

    private HtmlReport() {
    }

    /** The page for {@code report}. */
    static String render(RunReport report) {
        String js = resource(UPLOT_DIR + "uPlot.iife.min.js");
        String css = resource(UPLOT_DIR + "uPlot.min.css");
        String data = ReportJson.write(report);
        return TEMPLATE
                .replace("/*UPLOT_CSS*/", css)
                .replace("/*UPLOT_JS*/", scriptSafe(js))
                .replace("/*DATA*/", scriptSafe(data))
                .replace("{{TITLE}}", "pulse sim: " + report.nodes() + " nodes, seed " + report.seed());
    }

    /** Text that cannot close the script element it sits in. */
    static String scriptSafe(String s) {
        return s.replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    private static String resource(String path) {
        ClassLoader loader = HtmlReport.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar is missing: " + path + " is not on the module or"
                        + " class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{TITLE}}</title>
            <style>/*UPLOT_CSS*/</style>
            <style>
              body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
                     max-width: 1000px; color: #1d2330; padding: 0 1em; }
              h1 { font-size: 1.5em; margin-bottom: .2em; }
              h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #dde; padding-bottom: .2em; }
              .sub { color: #667; margin-top: 0; }
              .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .8em; }
              .card { background: #f5f7fb; border-radius: 8px; padding: .7em .9em; }
              .card .v { font-size: 1.45em; font-weight: 600; }
              .card .k { color: #667; font-size: .85em; }
              .bad .v { color: #c0392b; }
              .good .v { color: #1e8449; }
              table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
              th, td { text-align: right; padding: .25em .6em; border-bottom: 1px solid #eef; }
              th:first-child, td:first-child, td.l { text-align: left; }
              code, pre { background: #f5f7fb; padding: .1em .3em; border-radius: 4px; font-size: .9em; }
              pre { padding: .6em; overflow-x: auto; white-space: pre-wrap; }
              .note { color: #667; font-size: .9em; }
            </style>
            </head>
            <body>
            <h1 id="title"></h1>
            <p class="sub" id="subtitle"></p>
            <div class="cards" id="cards"></div>

            <h2>Detection latency</h2>
            <p class="note">Every DEAD declaration about a crashed member, by every member: how long after the crash.</p>
            <div id="hist"></div>

            <h2>Messages per second</h2>
            <p class="note">Datagrams sent by all members, per second of virtual time.</p>
            <div id="msgs"></div>

            <h2>Timeline of faults and detections</h2>
            <p class="note">Suspicions and DEAD declarations per time bucket; vertical lines mark the injected faults
              (red: crash, orange: pause or slow, blue: partition or block, grey: other).</p>
            <div id="timeline"></div>

            <h2>Failures</h2>
            <table id="failures"><thead><tr><th>node</th><th>crashed at</th><th>first suspicion</th>
              <th>first DEAD</th><th>all know</th><th>knew / live</th></tr></thead><tbody></tbody></table>

            <h2>Faults injected</h2>
            <pre id="faults"></pre>

            <h2>Replay</h2>
            <pre id="replay"></pre>
            <p class="note">Same flags and seed, same run: the digest <code id="digest"></code> proves it.</p>

            <script>/*UPLOT_JS*/</script>
            <script>
            const R = /*DATA*/;
            const $ = id => document.getElementById(id);
            const fmtMs = v => v == null ? "never" : (v >= 10000 ? (v / 1000).toFixed(1) + " s" : v + " ms");
            const esc = s => String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
            $("title").textContent = "pulse sim — " + R.nodes + " nodes, " + R.config.preset.toUpperCase() + " preset";
            $("subtitle").textContent = R.virtualSeconds + " virtual seconds in " + R.wallSeconds + " s of wall time, "
              + R.events.toLocaleString() + " events, seed " + R.seed + ", latency " + R.config.latency + ", loss "
              + R.config.loss + ", local health " + (R.config.localHealth ? "on" : "off");
            const cards = [
              ["failures", R.failures.length, ""],
              ["undetected", R.undetected, R.undetected ? "bad" : "good"],
              ["false positives", R.falsePositives, R.falsePositives ? "bad" : "good"],
              ["false suspicions", R.falseSuspicions, R.falseSuspicions ? "bad" : ""],
              ["first DEAD p50", fmtMs(R.detection.firstDeadP50Ms), ""],
              ["first DEAD p99", fmtMs(R.detection.firstDeadP99Ms), ""],
              ["all know p50", fmtMs(R.detection.allKnowP50Ms), ""],
              ["all know p99", fmtMs(R.detection.allKnowP99Ms), ""],
              ["msgs / member / s", R.messagesPerMemberPerSecond.mean.toFixed(2) + " (max "
                + R.messagesPerMemberPerSecond.max.toFixed(1) + ")", ""],
              ["bytes / member / s", Math.round(R.bytesPerMemberPerSecond.mean) + " (max "
                + Math.round(R.bytesPerMemberPerSecond.max) + ")", ""],
              ["convergence after heals", R.convergenceMs.length ? R.convergenceMs.map(fmtMs).join(", ") : "—", ""],
              ["delivered / wall s", R.deliveredPerWallSecond.toLocaleString(), ""]
            ];
            $("cards").innerHTML = cards.map(c => '<div class="card ' + c[2] + '"><div class="v">' + esc(c[1])
              + '</div><div class="k">' + esc(c[0]) + '</div></div>').join("");
            const width = () => Math.min(960, document.body.clientWidth);

            // detection-latency histogram
            (function () {
              const lat = R.detectionLatenciesMs;
              if (!lat.length) { $("hist").innerHTML = '<p class="note">No crash was detected in this run.</p>'; return; }
              const max = Math.max(...lat);
              const step = Math.max(1, Math.ceil(max / 40 / 100) * 100);
              const bins = Math.floor(max / step) + 1;
              const xs = [], ys = [];
              for (let i = 0; i < bins; i++) { xs.push(i * step / 1000); ys.push(0); }
              lat.forEach(v => ys[Math.floor(v / step)]++);
              new uPlot({ width: width(), height: 260, scales: { x: { time: false } },
                axes: [{ label: "seconds after the crash" }, { label: "DEAD declarations" }],
                series: [{ label: "s" }, { label: "declarations", fill: "rgba(52,101,164,.35)", stroke: "#3465a4",
                  paths: uPlot.paths.bars({ size: [0.9], align: 1 }) }] }, [xs, ys], $("hist"));
            })();

            const t = R.timeline, bucketS = t.bucketMs / 1000;
            const xs = t.messages.map((_, i) => i * bucketS);
            new uPlot({ width: width(), height: 240, scales: { x: { time: false } },
              axes: [{ label: "virtual seconds" }, { label: "messages / s" }],
              series: [{ label: "s" }, { label: "messages/s", stroke: "#2e7d32", width: 1.5,
                fill: "rgba(46,125,50,.08)" }] }, [xs, t.messages.map(v => v / bucketS)], $("msgs"));

            const faultColour = k => ({ crash: "#c0392b", restart: "#27ae60", pause: "#e67e22", slow: "#e67e22",
              partition: "#2980b9", block: "#2980b9" }[k] || "#95a5a6");
            new uPlot({ width: width(), height: 280, scales: { x: { time: false } },
              axes: [{ label: "virtual seconds" }, { label: "per bucket" }],
              series: [{ label: "s" }, { label: "suspicions", stroke: "#e67e22", width: 1.5 },
                { label: "DEAD declarations", stroke: "#c0392b", width: 1.5 }],
              hooks: { draw: [u => {
                const ctx = u.ctx;
                ctx.save();
                R.faults.forEach(f => {
                  const x = Math.round(u.valToPos(f.atMs / 1000, "x", true));
                  ctx.strokeStyle = faultColour(f.kind);
                  ctx.lineWidth = 1.5 * devicePixelRatio;
                  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
                  ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
                });
                ctx.restore();
              }] } }, [xs, t.suspicions, t.deaths], $("timeline"));

            $("failures").querySelector("tbody").innerHTML = R.failures.map(f => "<tr><td>" + f.node + "</td><td>"
              + (f.atMs / 1000).toFixed(1) + " s</td><td>" + fmtMs(f.firstSuspectMs) + "</td><td>" + fmtMs(f.firstDeadMs)
              + "</td><td>" + fmtMs(f.allKnowMs) + "</td><td>" + f.knew + " / " + f.ofLive + "</td></tr>").join("")
              || '<tr><td class="l" colspan="6">No crash in this run.</td></tr>';
            $("faults").textContent = R.faults.length ? R.faults.map(f => f.text).join("\\n") : "(none)";
            $("replay").textContent = R.replay;
            $("digest").textContent = R.digest;
            </script>
            </body>
            </html>
            """;
}

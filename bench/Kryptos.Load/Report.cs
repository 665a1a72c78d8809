using System.Globalization;
using System.Text;

namespace Kryptos.Load;

/// <summary>The markdown table: every figure with its target, the published anchor and whether it is met.</summary>
internal static class Report
{
    private sealed record Figure(string Key, string Label, double Target, string TargetText, string Anchor);

    private static readonly Figure[] Figures =
    [
        new("refresh", "Refresh-token grants (rotation on)", 600, "≥ 600 (stretch 1,200)", "Keycloak sizing guide: ~120 per vCPU"),
        new("code", "Authorization-code redemptions", 600, "≥ 600", ""),
        new("flow", "Browserless code flows (session, remembered consent)", 300, "≥ 300", ""),
        new("login", "Password logins (real form, antiforgery)", double.NaN, "≥ 0.9× raw PBKDF2", ""),
        new("me", "GET /v1/users/me (control)", double.NaN, "—", ""),
    ];

    public static string Table(IReadOnlyList<Run> runs, int clients, double seconds, double pbkdf2, int iterations)
    {
        var last = runs[^1];
        var table = new StringBuilder();
        var labels = string.Concat(runs.Select(r => $" {r.Label}: per server CPU-second (per wall second) |"));
        table.AppendLine(CultureInfo.InvariantCulture, $"| Figure ({clients} clients, {seconds:0} s each) |{labels}{(runs.Count > 1 ? " after ÷ before |" : "")} Target (per core) | Anchor | Met |");
        table.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(runs.Select(_ => "---:|"))}{(runs.Count > 1 ? "---:|" : "")}---|---|---|");
        foreach (var figure in Figures.Where(f => last.Results.ContainsKey(f.Key)))
        {
            var cells = string.Concat(runs.Select(r => r.Results.TryGetValue(figure.Key, out var m)
                ? $" **{m.PerCpuSecond:F1}** ({m.PerSecond:F0}/s){(m.Errors > 0 ? $", {m.Errors} errors" : "")} |"
                : " |"));
            var ratio = runs.Count > 1 && runs[0].Results.TryGetValue(figure.Key, out var before)
                ? $" {last.Results[figure.Key].PerCpuSecond / before.PerCpuSecond:F2}× |"
                : runs.Count > 1 ? " |" : "";
            var after = last.Results[figure.Key];
            string target = figure.TargetText, met;
            if (figure.Key == "login")
            {
                var share = after.PerCpuSecond / pbkdf2;
                target = $"≥ 0.9× raw PBKDF2 ({pbkdf2:F1}/CPU-s: HMAC-SHA512, {iterations:N0} iterations); measured {share:F2}×";
                met = share >= 0.9 ? "yes" : "no";
            }
            else
            {
                met = double.IsNaN(figure.Target) ? "—" : after.PerCpuSecond >= figure.Target ? "yes" : "no";
            }

            table.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Label} |{cells}{ratio} {target} | {figure.Anchor} | {(after.Errors > 0 ? "no (errors)" : met)} |");
        }

        string Each(Func<Run, string> cell) => string.Concat(runs.Select(r => $" {cell(r)} |")) + (runs.Count > 1 ? " |" : "");
        table.AppendLine(CultureInfo.InvariantCulture, $"| Start to ready (Release) |{Each(r => $"{r.Server.StartToReady.TotalSeconds:F2} s")} ≤ 2 s | | {(last.Server.StartToReady.TotalSeconds <= 2 ? "yes" : "no")} |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| Idle RSS |{Each(r => $"{r.IdleRss:F0} MB")} ≤ 150 MB | | {(last.IdleRss <= 150 ? "yes" : "no")} |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| RSS after load (VmRSS / VmHWM) |{Each(r => $"{r.LoadRss:F0} / {r.PeakRss:F0} MB")} ≤ 350 MB | | {(last.PeakRss <= 350 ? "yes" : "no")} |");
        return table.ToString();
    }
}

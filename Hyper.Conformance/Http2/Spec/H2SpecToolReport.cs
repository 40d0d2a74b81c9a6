using System.Xml.Linq;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>How one case of the real h2spec ended.</summary>
public enum H2SpecToolOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One case of an h2spec run: its id as h2spec prints it (<c>http2/6.9.1/3</c>), its description and outcome.</summary>
public sealed record H2SpecToolCase(string Id, string Description, H2SpecToolOutcome Outcome, string? Message);

/// <summary>
/// The JUnit report the real h2spec writes with <c>--junit-report</c>. Its test cases carry no name: each has the
/// group id as <c>package</c> (<c>http2/6.9.1</c>) and the description as <c>classname</c>; h2spec numbers the cases of
/// a group in the order they appear, so the n-th <c>testcase</c> of a suite is case <c>package/n</c>, the id h2spec's
/// own console output and its <c>-s</c> option use.
/// </summary>
public sealed class H2SpecToolReport
{
    private H2SpecToolReport(IReadOnlyList<H2SpecToolCase> cases) => Cases = cases;

    public IReadOnlyList<H2SpecToolCase> Cases { get; }

    public int Passed => Cases.Count(c => c.Outcome == H2SpecToolOutcome.Passed);
    public int Skipped => Cases.Count(c => c.Outcome == H2SpecToolOutcome.Skipped);
    public IEnumerable<H2SpecToolCase> Failed => Cases.Where(c => c.Outcome == H2SpecToolOutcome.Failed);

    public static H2SpecToolReport Parse(XDocument report)
    {
        var cases = new List<H2SpecToolCase>();
        foreach (var suite in report.Descendants("testsuite"))
        {
            var group = suite.Attribute("package")?.Value ?? suite.Attribute("name")?.Value ?? "";
            var sequence = 0;
            foreach (var testCase in suite.Elements("testcase"))
            {
                sequence++;
                var failure = testCase.Element("failure") ?? testCase.Element("error");
                var outcome = failure is not null ? H2SpecToolOutcome.Failed
                    : testCase.Element("skipped") is not null ? H2SpecToolOutcome.Skipped
                    : H2SpecToolOutcome.Passed;
                var description = testCase.Attribute("classname")?.Value ?? testCase.Attribute("name")?.Value ?? "";
                cases.Add(new H2SpecToolCase($"{group}/{sequence}", description, outcome, failure?.Value.Trim()));
            }
        }
        return new H2SpecToolReport(cases);
    }

    /// <summary>One line for logs: <c>146 cases: 145 passed, 1 failed (http2/3.5/2), 0 skipped</c>.</summary>
    public string Summary()
    {
        var failed = Failed.Select(c => c.Id).ToList();
        var failedText = failed.Count == 0 ? "0 failed" : $"{failed.Count} failed ({string.Join(", ", failed)})";
        return $"{Cases.Count} cases: {Passed} passed, {failedText}, {Skipped} skipped";
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 16: contracts/errors.md — every problem <c>code</c> the API can answer with, its HTTP status and its Chinese
/// <c>detail</c> — is generated from src/ (a Roslyn parse, no build output, no database). It fails when a code is added
/// or a text changed without regenerating the file (run with CASEFLOW_UPDATE_CONTRACTS=1 and commit it), when a code is
/// malformed, when one code answers with two statuses, and when a code next to a Chinese text is found in a place the
/// collector does not know (so a new way of refusing cannot slip past the table).
/// </summary>
public sealed partial class ErrorCodeTableTests
{
    private const string UpdateCommand =
        "CASEFLOW_UPDATE_CONTRACTS=1 dotnet test tests/CaseFlow.Api.Tests --filter \"FullyQualifiedName~ErrorCodeTableTests\"";

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
    private static partial Regex CodeFormat();

    /// <summary>Looser than <see cref="CodeFormat"/>, to find malformed codes too (a capital, a dash).</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)+$")]
    private static partial Regex CodeLike();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>
    /// Places (type.member) that pass a code through without naming it; each names where its codes come from, which
    /// the collector reads there. A new place that passes a non-literal code to a problem writer fails the test.
    /// </summary>
    private static readonly Dictionary<string, string> PassThrough = new(StringComparer.Ordinal)
    {
        ["Problems.From"] = "a DomainError: its factory call is collected",
        ["FailureHandler.TryHandleAsync"] = "FailureHandler.Classify's tuples and Duplicates",
        ["InputRules.Refusal"] = "the InputRules.Violation of the first offending field",
        ["Security.WriteProblemAsync"] = "Problems.ForStatus (401, 403)",
        ["TokenClaims.InvokeAsync"] = "Jurisdiction.MissingClaim, a DomainError",
    };

    /// <summary>Places where a code and its text stand without a status beside them, and the status they are answered with.</summary>
    private static readonly Dictionary<string, int> StatusByPlace = new(StringComparer.Ordinal)
    {
        ["FailureHandler.Duplicates"] = 409,   // a unique key taken: Classify answers 409 with the constraint's code
        ["FailureHandler.Classify"] = 409,     // the default of Duplicates.GetValueOrDefault
        ["InputRules.Check"] = 400,            // InputRules.Violation: InputRules.Refusal is always 400
        ["InputRules.CheckString"] = 400,
    };

    /// <summary>Code-shaped values beside Chinese text that are not refusals.</summary>
    private static readonly Dictionary<string, string> NotErrorCodes = new(StringComparer.Ordinal)
    {
        ["deficiency.not_supplied"] = "the reason recorded on case.terminated.v1 when 容缺 materials were not supplied",
    };

    /// <summary>
    /// Codes answered with more than one status today, on purpose or not. Behaviour is not changed here: each is listed
    /// with why, and removing the cause must remove the entry (the test fails on a stale entry).
    /// </summary>
    private static readonly Dictionary<string, string> KnownMixedStatuses = new(StringComparer.Ordinal)
    {
        // Program.cs, Swagger outside Development: 401 without a token, 403 with a token that is not an admin's.
        ["auth.swagger_admin_only"] = "401 without a token, 403 for a non-admin",
    };

    [Fact]
    public void The_committed_error_code_table_matches_the_code()
    {
        var table = Render(Collect().Uses);
        var path = Path.Combine(CaseFlow.Testing.Repository.Root, "contracts", "errors.md");
        if (Environment.GetEnvironmentVariable("CASEFLOW_UPDATE_CONTRACTS") == "1")
            File.WriteAllText(path, table);
        Assert.True(File.Exists(path), $"contracts/errors.md is missing: run {UpdateCommand}");
        var committed = File.ReadAllText(path).Split('\n');
        var expected = table.Split('\n');
        var at = Enumerable.Range(0, Math.Max(committed.Length, expected.Length))
            .FirstOrDefault(i => i >= committed.Length || i >= expected.Length || committed[i] != expected[i]);
        Assert.True(File.ReadAllText(path) == table,
            $"contracts/errors.md is stale (a code or its text changed; first difference at line {at + 1}, expected: "
            + $"{(at < expected.Length ? expected[at] : "(end of file)")}): run {UpdateCommand} and commit it");
    }

    [Fact]
    public void Every_code_is_well_formed()
    {
        var bad = Collect().Uses.Where(u => !CodeFormat().IsMatch(u.Code)).Select(u => $"{u.Code} ({u.File})").Distinct().ToList();
        Assert.True(bad.Count == 0, $"codes must match {CodeFormat()}: {string.Join(", ", bad)}");
    }

    [Fact]
    public void No_code_answers_with_two_statuses()
    {
        var mixed = Collect().Uses.GroupBy(u => u.Code)
            .Select(g => (Code: g.Key, Statuses: g.Select(u => u.Status).Distinct().Order().ToList()))
            .Where(c => c.Statuses.Count > 1).ToList();
        var offenders = mixed.Where(c => !KnownMixedStatuses.ContainsKey(c.Code))
            .Select(c => $"{c.Code}: {string.Join(", ", c.Statuses)}").ToList();
        Assert.True(offenders.Count == 0, $"one code, one status; these have several: {string.Join("; ", offenders)}");
        var stale = KnownMixedStatuses.Keys.Where(k => !mixed.Any(c => c.Code == k)).ToList();
        Assert.True(stale.Count == 0, $"no longer mixed, remove from KnownMixedStatuses: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Every_code_beside_a_chinese_text_and_every_problem_writer_is_understood()
    {
        var found = Collect();
        Assert.True(found.Unknown.Count == 0, "the collector cannot read these (give them a literal code, status and text, or "
            + "add the place to PassThrough, StatusByPlace or NotErrorCodes with why):\n" + string.Join("\n", found.Unknown));
        Assert.True(found.PassThroughSeen.SetEquals(PassThrough.Keys), "PassThrough lists places that no longer pass codes: "
            + string.Join(", ", PassThrough.Keys.Except(found.PassThroughSeen)));
    }

    /// <summary>The collector reads each shape of refusal the code has (a check of the collector, not of the API).</summary>
    [Fact]
    public void The_collector_reads_every_shape_of_refusal()
    {
        var uses = Collect().Uses;
        void Has(string code, int status, string detail) => Assert.Contains(uses, u => u.Code == code && u.Status == status && u.Detail == detail);
        Has("inquiry.referral_target_required", 422, "首问负责制：转办必须写明接办窗口和接办人。确需转办的，请填写说明，系统将记录为未指明接办人的转办。");
        Has("auth.claim_missing", 403, "登录凭据缺少{missing}，不能确定您的办理范围；请重新登录或联系管理员。");
        Has("request.method_not_allowed", 405, "不支持该请求方式。");
        Has("server.error", 500, "系统内部错误，请稍后重试；如仍有问题请联系管理员。");
        Has("server.database_unavailable", 503, "数据库暂时无法访问，请约 {RetryAfterSeconds} 秒后重试；已提交的办理不会丢失。");
        Has("organisation.centre_code_taken", 409, "该中心编码已被另一个服务中心使用。");
        Has("request.invalid_characters", 400, "内容含有不允许的控制字符（含换行）。");
        Has("auth.token_incomplete", 401, "访问令牌缺少人员或角色信息，请重新登录。");
        Has("auth.swagger_admin_only", 403, "接口文档仅对系统管理员开放。");
        Assert.Contains(uses, u => u.Code == "concurrency.precondition_failed" && u.Status == 412);
        Assert.Contains(uses, u => u.Code == "case.not_found" && u.Status == 404);
    }

    // ---- collecting ------------------------------------------------------------------------------------------------

    private sealed record Use(string Code, int Status, string Detail, string File);

    private sealed record Found(List<Use> Uses, List<string> Unknown, HashSet<string> PassThroughSeen);

    private static readonly Lazy<Found> Cached = new(Scan);

    private static Found Collect() => Cached.Value;

    private static readonly string[] Factories = [.. Enum.GetNames<ErrorKind>()];

    private static Found Scan()
    {
        var src = Path.Combine(CaseFlow.Testing.Repository.Root, "src");
        var sep = Path.DirectorySeparatorChar;
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal)
                && !f.Contains($"{sep}Internal{sep}Generated{sep}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var found = new Found([], [], new HashSet<string>(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(src, file).Replace(sep, '/');
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Preview), file);
            ScanFile(tree.GetRoot(), relative, found);
        }
        return found;
    }

    private static void ScanFile(SyntaxNode root, string file, Found found)
    {
        var read = new HashSet<SyntaxNode>();   // code literals taken by a precise rule
        void Add(ExpressionSyntax codeExpression, IEnumerable<int>? statuses, ExpressionSyntax? detailExpression, SyntaxNode at)
        {
            var code = ((LiteralExpressionSyntax)codeExpression).Token.ValueText;
            var details = detailExpression is null ? null : Texts(detailExpression);
            if (statuses is null || details is null)
            {
                found.Unknown.Add($"{file}:{Line(at)} {code}: status or text is not a literal");
                return;
            }
            read.Add(codeExpression);
            foreach (var status in statuses)
                foreach (var detail in details)
                    found.Uses.Add(new(code, status, detail, file));
        }
        void Writer(ExpressionSyntax codeExpression, Func<IEnumerable<int>?> statuses, ExpressionSyntax detail, SyntaxNode at)
        {
            if (IsString(codeExpression))
                Add(codeExpression, statuses(), detail, at);
            else if (PassThrough.ContainsKey(Place(at)))
                found.PassThroughSeen.Add(Place(at));
            else
                found.Unknown.Add($"{file}:{Line(at)} a problem written with the code `{codeExpression}` in {Place(at)}");
        }

        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                // DomainError.Rule("code", "text") and the other factories: status by kind (Problems.StatusFor).
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "DomainError" } } m } inv
                    when Factories.Contains(m.Name.Identifier.Text) && inv.ArgumentList.Arguments.Count == 2:
                    Writer(inv.ArgumentList.Arguments[0].Expression,
                        () => [Problems.StatusFor(Enum.Parse<ErrorKind>(m.Name.Identifier.Text))], inv.ArgumentList.Arguments[1].Expression, inv);
                    break;
                // new DomainError("code", "text"[, ErrorKind.X]).
                case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax { Identifier.Text: "DomainError" }, ArgumentList.Arguments: { Count: >= 2 } args } creation:
                    Writer(args[0].Expression, () => [Problems.StatusFor(args.Count > 2 && args[2].Expression is MemberAccessExpressionSyntax k
                        ? Enum.Parse<ErrorKind>(k.Name.Identifier.Text) : ErrorKind.Rule)], args[1].Expression, creation);
                    break;
                // Problems.Problem(status, "code", "text", ...).
                case InvocationExpressionSyntax inv when Called(inv) is ("Problems" or null, "Problem") && inv.ArgumentList.Arguments.Count >= 3
                    && (Called(inv).Receiver is not null || Place(inv).StartsWith("Problems.", StringComparison.Ordinal)):
                    Writer(inv.ArgumentList.Arguments[1].Expression, () => Statuses(inv.ArgumentList.Arguments[0].Expression), inv.ArgumentList.Arguments[2].Expression, inv);
                    break;
                // Security.WriteProblemAsync(http, status, "code", "text").
                case InvocationExpressionSyntax inv when Called(inv).Name == "WriteProblemAsync" && inv.ArgumentList.Arguments.Count == 4:
                    Writer(inv.ArgumentList.Arguments[2].Expression, () => Statuses(inv.ArgumentList.Arguments[1].Expression), inv.ArgumentList.Arguments[3].Expression, inv);
                    break;
                // A status switch: 404 => ("code", "text"), and its discard arm (Problems.ForStatus: anything else is 500).
                case SwitchExpressionArmSyntax { Expression: TupleExpressionSyntax { Arguments: [var c, var d] } } arm
                    when IsString(c.Expression) && StatusOfArm(arm) is { } status:
                    Add(c.Expression, [status], d.Expression, arm);
                    break;
                // (status, "code", "text", ...): FailureHandler.Classify.
                case TupleExpressionSyntax { Arguments: [var s, var c, var d, ..] } tuple when IsString(c.Expression) && Statuses(s.Expression) is { } statuses:
                    Add(c.Expression, statuses, d.Expression, tuple);
                    break;
            }
        }

        // Anything else code-shaped standing beside a Chinese text, in an argument list or a tuple.
        foreach (var list in root.DescendantNodes().Where(n => n is BaseArgumentListSyntax or TupleExpressionSyntax))
        {
            var items = list is TupleExpressionSyntax t ? t.Arguments.Select(a => a.Expression).ToList()
                : ((BaseArgumentListSyntax)list).Arguments.Select(a => a.Expression).ToList();
            for (var i = 0; i < items.Count; i++)
            {
                if (!IsString(items[i]) || read.Contains(items[i]))
                    continue;
                var code = ((LiteralExpressionSyntax)items[i]).Token.ValueText;
                if (!CodeLike().IsMatch(code) || NotErrorCodes.ContainsKey(code))
                    continue;
                var detail = items.Skip(i + 1).FirstOrDefault(e => Texts(e) is { } texts && texts.Any(x => Chinese().IsMatch(x)));
                if (detail is null)
                    continue;
                if (StatusByPlace.TryGetValue(Place(list), out var status))
                    Add(items[i], [status], detail, list);
                else
                    found.Unknown.Add($"{file}:{Line(list)} {code} beside a Chinese text in {Place(list)}");
            }
        }
    }

    private static (string? Receiver, string? Name) Called(InvocationExpressionSyntax inv) => inv.Expression switch
    {
        MemberAccessExpressionSyntax m => (m.Expression.ToString(), m.Name.Identifier.Text),
        IdentifierNameSyntax i => (null, i.Identifier.Text),
        _ => (null, null),
    };

    private static bool IsString(ExpressionSyntax e) => e is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression };

    /// <summary>An arm's status: its constant pattern, or 500 for the discard arm of a switch whose other arms are statuses.</summary>
    private static int? StatusOfArm(SwitchExpressionArmSyntax arm)
    {
        static int? Constant(SwitchExpressionArmSyntax a) =>
            a.Pattern is ConstantPatternSyntax { Expression: var e } && Statuses(e) is [var s] ? s : null;
        if (Constant(arm) is { } status)
            return status;
        var others = ((SwitchExpressionSyntax)arm.Parent!).Arms.Where(a => a != arm).ToList();
        return arm.Pattern is DiscardPatternSyntax && others.Count > 0 && others.All(a => Constant(a) is not null) ? 500 : null;
    }

    /// <summary>A status: 404, <c>StatusCodes.Status404NotFound</c>, or either side of <c>c ? 403 : 401</c>.</summary>
    private static List<int>? Statuses(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax { Token.Value: int n } when n is >= 100 and <= 599 => [n],
        MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "StatusCodes" } } m
            when m.Name.Identifier.Text.Length >= 9 && int.TryParse(m.Name.Identifier.Text.AsSpan(6, 3), CultureInfo.InvariantCulture, out var n) => [n],
        ParenthesizedExpressionSyntax p => Statuses(p.Expression),
        ConditionalExpressionSyntax c when Statuses(c.WhenTrue) is { } a && Statuses(c.WhenFalse) is { } b => [.. a, .. b],
        _ => null,
    };

    /// <summary>
    /// The texts an expression can be: a literal; an interpolated string with <c>{name}</c> for a simple value and
    /// <c>{…}</c> for anything computed; either side of a conditional.
    /// </summary>
    private static List<string>? Texts(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } l => [l.Token.ValueText],
        InterpolatedStringExpressionSyntax s => [string.Concat(s.Contents.Select(c => c switch
        {
            InterpolatedStringTextSyntax text => text.TextToken.ValueText,
            InterpolationSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax } } hole
                => "{" + hole.Expression + "}",
            _ => "{…}",
        }))],
        ParenthesizedExpressionSyntax p => Texts(p.Expression),
        ConditionalExpressionSyntax c when Texts(c.WhenTrue) is { } a && Texts(c.WhenFalse) is { } b => [.. a, .. b],
        _ => null,
    };

    /// <summary>Where a node is: its type and member (<c>Problems.ForStatus</c>); top-level statements are <c>Program.Main</c>.</summary>
    private static string Place(SyntaxNode node)
    {
        var member = node.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m is not BaseTypeDeclarationSyntax);
        var type = node.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "Program";
        var name = member switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            PropertyDeclarationSyntax p => p.Identifier.Text,
            BaseFieldDeclarationSyntax f => f.Declaration.Variables[0].Identifier.Text,
            ConstructorDeclarationSyntax => ".ctor",
            _ => "Main",
        };
        return $"{type}.{name}";
    }

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    // ---- rendering -------------------------------------------------------------------------------------------------

    private static string Render(List<Use> uses)
    {
        var text = new StringBuilder();
        text.Append("# Error codes\n\n");
        text.Append("Generated from `src/` by `tests/CaseFlow.Api.Tests/ErrorCodeTableTests.cs`; do not edit. After adding or changing a\n");
        text.Append($"code or its text, regenerate and commit:\n\n```bash\n{UpdateCommand}\n```\n\n");
        text.Append("Every refusal is RFC 9457 problem details (`application/problem+json`) with `code`, `status` and a Chinese `detail`.\n");
        text.Append("The status of a `DomainError` is its kind's (`Problems.StatusFor`: Validation 400, Forbidden 403, NotFound 404,\n");
        text.Append("Conflict 409, Rule 422). 含义 is the `detail` sent: every distinct text of the code, one per line; `{name}` or `{…}`\n");
        text.Append("is filled in when it is sent. For the input refusals of `InputRules` the `detail` is `提交的内容不符合要求：`\n");
        text.Append("followed by up to three fields with their text, and `errors` names each field; the table shows the text. Codes the\n");
        text.Append("framework raises are those of `Problems.ForStatus` (a status it does not list is `server.error`, shown as 500).\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{uses.Select(u => u.Code).Distinct().Count()} codes.\n\n");
        text.Append("| code | status | 含义 | where (`src/CaseFlow.*/`) |\n| --- | --- | --- | --- |\n");
        foreach (var code in uses.GroupBy(u => u.Code).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = string.Join(", ", code.Select(u => u.Status).Distinct().Order());
            var details = string.Join("<br>", code.Select(u => Cell(u.Detail)).Distinct().Order(StringComparer.Ordinal));
            var files = string.Join(", ", code.Select(u => u.File.Replace("CaseFlow.", "", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
            text.Append(CultureInfo.InvariantCulture, $"| `{code.Key}` | {statuses} | {details} | {files} |\n");
        }
        return text.ToString();
    }

    private static string Cell(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

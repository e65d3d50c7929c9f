using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// What every value a client sends must look like, checked before any endpoint runs — so before anything is
/// written or any case number is taken (issue 13). The rules follow the member's name; README "Security" lists them.
/// <list type="bullet">
/// <item>Ids and codes (names ending in <c>Id</c>, <c>Ids</c>, <c>Code</c>, <c>Codes</c>; route and query ids): 1–64
/// characters of <c>A–Z a–z 0–9 . _ : - /</c> (a bundle's merged checklist codes are <c>item/material</c>), without
/// <c>..</c> and not beginning or ending with <c>/</c>.</item>
/// <item>Free text a clerk types over several lines (<see cref="MultiLine"/>: reasons, opinions, notes, answers,
/// facts …): at most 2,000 characters; tab and line breaks allowed, no other control character.</item>
/// <item>Every other string (names, addresses, titles, numbers of documents, search words): at most 200 characters,
/// no control character at all; a list's <c>cursor</c> (opaque, what the list gave) at most <see cref="Paging.MaxCursorLength"/>.</item>
/// <item>No string contains U+0000–U+001F (except as above), U+007F or a lone surrogate.</item>
/// <item>Lists: no <c>null</c> item, at most 500 items. Lists and objects that are not optional may not be missing or
/// <c>null</c>; a missing required text is refused by the domain with its own code (e.g. <c>case.remedies_required</c>).</item>
/// <item>Enums: only their names (the JSON reader refuses numbers), and only defined values.</item>
/// <item>Dates between 1900 and 2199.</item>
/// </list>
/// A refusal is 400 problem details with the stable <c>code</c> of the first violation and <c>errors</c> naming
/// every offending field (as ASP.NET's ValidationProblemDetails does).
/// </summary>
public static class InputRules
{
    public const int IdMaxLength = 64;
    public const int TextMaxLength = 200;
    public const int MultiLineMaxLength = 2000;
    public const int ListMaxItems = 500;

    /// <summary>Members holding free text over several lines.</summary>
    public static readonly HashSet<string> MultiLine = new(StringComparer.OrdinalIgnoreCase)
    {
        "Reason", "OverrideReason", "Opinion", "Note", "Commitment", "Resolution", "Answer", "Text", "Instruction", "Facts",
        "Outcome", "Details", "Topic", "Result", "Description", "LegalBasis", "Remarks",
    };

    public sealed record Violation(string Field, string Code, string Message);

    /// <summary>Checks one bound value (a request body, a route or query value) named <paramref name="name"/>.</summary>
    public static void Check(string name, object? value, Type declared, bool nullable, List<Violation> found, int depth = 0)
    {
        if (found.Count >= 20 || depth > 8)
            return;
        if (value is null)
        {
            if (!nullable && !declared.IsValueType && declared != typeof(string))
                found.Add(new(name, "request.required_missing", "必填项缺失。"));
            return;
        }
        switch (value)
        {
            case string s:
                CheckString(name, s, found);
                return;
            case Enum e:
                if (!Enum.IsDefined(e.GetType(), e))
                    found.Add(new(name, "request.enum_undefined", "取值不在规定范围内。"));
                return;
            case DateOnly d:
                if (d.Year is < 1900 or > 2199)
                    found.Add(new(name, "request.date_out_of_range", "日期超出允许范围（1900—2199 年）。"));
                return;
            case DateTimeOffset t:
                if (t.Year is < 1900 or > 2199)
                    found.Add(new(name, "request.date_out_of_range", "时间超出允许范围（1900—2199 年）。"));
                return;
            case Guid or bool or int or long or decimal or double or float or short or byte:
                return;
            case IEnumerable list:
                var itemType = ItemType(value.GetType());
                var i = 0;
                foreach (var item in list)
                {
                    var field = $"{name}[{i}]";
                    if (item is null)
                        found.Add(new(field, "request.null_item", "列表中不能有空项（null）。"));
                    else
                        Check(ItemName(name, field), item, itemType, nullable: false, found, depth + 1);
                    if (++i > ListMaxItems)
                    {
                        found.Add(new(name, "request.list_too_long", $"列表最多 {ListMaxItems} 项。"));
                        return;
                    }
                }
                return;
        }
        if (value.GetType().Namespace?.StartsWith("CaseFlow", StringComparison.Ordinal) != true)
            return;
        foreach (var member in Members(value.GetType()))
        {
            var field = name.Length == 0 ? member.JsonName : $"{name}.{member.JsonName}";
            Check(field, member.Property.GetValue(value), member.Property.PropertyType, member.Nullable, found, depth + 1);
        }
    }

    private static void CheckString(string field, string s, List<Violation> found)
    {
        var leaf = Leaf(field);
        if (IsId(leaf))
        {
            // No "..", and no "/" at either end: an id goes into URLs (Location) and must never read as a path step.
            if (s.Length is 0 or > IdMaxLength || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' or '/')
                || s.Contains("..", StringComparison.Ordinal) || s[0] == '/' || s[^1] == '/')
                found.Add(new(field, "request.id_invalid", $"编号只能由字母、数字和 . _ : - / 组成，最长 {IdMaxLength} 个字符。"));
            return;
        }
        var multiLine = MultiLine.Contains(leaf);
        // A list's cursor is what the list itself gave (its sort key, base64url): as long as that key may be.
        var max = multiLine ? MultiLineMaxLength : leaf == "cursor" ? Paging.MaxCursorLength : TextMaxLength;
        if (s.Length > max)
        {
            found.Add(new(field, "request.text_too_long", $"内容过长（最多 {max} 个字符）。"));
            return;
        }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var allowed = multiLine && c is '\t' or '\n' or '\r';
            if ((char.IsControl(c) && !allowed) || (char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[++i]))) || char.IsLowSurrogate(c))
            {
                found.Add(new(field, "request.invalid_characters", multiLine ? "内容含有不允许的控制字符。" : "内容含有不允许的控制字符（含换行）。"));
                return;
            }
        }
    }

    /// <summary>Ids and codes by their member name: <c>windowId</c>, <c>itemCodes</c>, <c>code</c>, <c>partId</c>.</summary>
    public static bool IsId(string leaf) =>
        leaf.EndsWith("Id", StringComparison.Ordinal) || leaf.EndsWith("Ids", StringComparison.Ordinal)
        || leaf.EndsWith("Code", StringComparison.Ordinal) || leaf.EndsWith("Codes", StringComparison.Ordinal)
        || leaf is "id" or "code" or "codes" or "item" or "region";

    private static string Leaf(string field)
    {
        var name = field;
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0 && name.IndexOf('.', bracket) < 0)
            name = name[..bracket];
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }

    /// <summary>A list item's rules are its list's: <c>itemCodes[3]</c> is an id because <c>itemCodes</c> is.</summary>
    private static string ItemName(string listName, string field) => field;

    private static Type ItemType(Type listType) =>
        listType.IsArray ? listType.GetElementType()! :
        listType.GetInterfaces().Append(listType).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] ?? typeof(object);

    private sealed record Member(PropertyInfo Property, string JsonName, bool Nullable);

    private static readonly ConcurrentDictionary<Type, Member[]> MemberCache = new();
    private static readonly NullabilityInfoContext Nullability = new();

    private static Member[] Members(Type type) => MemberCache.GetOrAdd(type, t =>
    {
        lock (Nullability)
        {
            var parameters = t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()?.GetParameters() ?? [];
            return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.GetMethod!.IsPublic)
                .Select(p =>
                {
                    // Optional when nullable or when the constructor parameter has a default value.
                    var parameter = parameters.FirstOrDefault(x => string.Equals(x.Name, p.Name, StringComparison.OrdinalIgnoreCase));
                    var nullable = Nullability.Create(p).ReadState != NullabilityState.NotNull || parameter?.HasDefaultValue == true
                        || Nullable.GetUnderlyingType(p.PropertyType) is not null;
                    return new Member(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), nullable);
                })
                .ToArray();
        }
    });

    /// <summary>The problem details for what was found.</summary>
    public static IResult Refusal(List<Violation> found) =>
        Problems.Problem(400, found[0].Code, $"提交的内容不符合要求：{string.Join("；", found.Take(3).Select(v => $"“{v.Field}”{v.Message}"))}",
            new Dictionary<string, object?> { ["errors"] = found.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray()) });
}

/// <summary>
/// Applies <see cref="InputRules"/> to every argument an endpoint binds from the request (body, route, query),
/// before the endpoint runs.
/// </summary>
public sealed class InputFilter : IEndpointFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, (ParameterInfo Parameter, bool Check, bool Nullable)[]> Plans = new();
    private static readonly NullabilityInfoContext Nullability = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var method = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>();
        if (method is not null)
        {
            var plan = Plans.GetOrAdd(method, Plan);
            var found = new List<InputRules.Violation>();
            for (var i = 0; i < plan.Length && i < context.Arguments.Count; i++)
            {
                var (parameter, check, nullable) = plan[i];
                // A body's members are named from its root (errors["materials[0].state"]); route and query values by their name.
                if (check)
                    InputRules.Check(IsBody(parameter) ? "" : parameter.Name ?? "", context.Arguments[i], parameter.ParameterType, nullable || !IsBody(parameter), found);
            }
            if (found.Count > 0)
                return InputRules.Refusal(found);
        }
        return await next(context);
    }

    private static bool IsBody(ParameterInfo p) => p.ParameterType != typeof(string) && !p.ParameterType.IsValueType;

    private static (ParameterInfo, bool, bool)[] Plan(MethodInfo method)
    {
        lock (Nullability)
        {
            return method.GetParameters().Select(p =>
            {
                var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                var bound = t == typeof(string) || t.IsEnum || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || IsRequestRecord(t);
                var nullable = Nullability.Create(p).ReadState != NullabilityState.NotNull || p.HasDefaultValue;
                return (p, bound, nullable);
            }).ToArray();
        }
    }

    /// <summary>Request bodies are the endpoints' request records and domain records; CaseFlow's services are not.</summary>
    private static bool IsRequestRecord(Type t) =>
        t.Namespace is { } ns && t != typeof(CaseFlow.Domain.Handover.RatingPolicy)
        && (ns.StartsWith("CaseFlow.Api.Endpoints", StringComparison.Ordinal) || ns.StartsWith("CaseFlow.Domain", StringComparison.Ordinal));
}

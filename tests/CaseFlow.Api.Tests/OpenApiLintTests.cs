using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 16 "Contract": the committed contract (contracts/openapi.json, which ContractTests keeps equal to the served
/// document) says what every operation answers. Each test lists its offenders. The rules:
/// <list type="number">
/// <item><b>operationId</b>: every operation has one, PascalCase (a verb after the domain: <c>ReceiveCase</c>,
/// <c>ListInquiries</c>), unique in the document; it is the endpoint's explicit name (<c>.WithName(…)</c>), which every
/// endpoint of the host that is in the document carries.</item>
/// <item><b>summary</b>: one line <c>中文 · English</c> — Chinese ideographs before the middle dot, an English phrase
/// after it.</item>
/// <item><b>success</b>: at least one 2xx response, and every 2xx says what it carries: <c>application/json</c> with a
/// schema, or a declared non-JSON content type (<c>text/csv</c>, <c>text/html</c>) with a string schema.</item>
/// <item><b>problems</b>: every 4xx/5xx response is <c>application/problem+json</c> with the <c>Problem</c> schema
/// (problem details with the stable <c>code</c>) and nothing else. Each operation declares at least: 500 (the global
/// handler); 503 under <c>/api</c> (the database unavailable); 401 and 403 when it needs a token (its effective
/// <c>security</c> is not empty); 404 when its path has a parameter (not found, or a route constraint not met); 400
/// and 415 when it takes a body; one of 400/404/422 when it takes any parameter or a body; and a command — an
/// operation answering <c>CommandAccepted</c> — 400, 404, 409, 412 and 422, which the command pipeline itself can give.</item>
/// <item><b>headers</b>: a command takes <c>If-Match</c> and <c>Idempotency-Key</c>, both optional, and answers
/// <c>ETag</c> on every 2xx; every 201 answers <c>Location</c>.</item>
/// <item><b>schemas</b>: no untyped object anywhere — a schema with none of <c>$ref</c>, <c>type</c>,
/// <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>, <c>enum</c>, or an object with neither <c>properties</c> nor a typed
/// <c>additionalProperties</c> — unless its <c>description</c> says why the value is free-form JSON; every enum is a
/// string enum of names; every name in <c>required</c> is a property.</item>
/// <item><b>lists</b> (the one list convention, README "Lists"): no GET answers a bare JSON array; an operation
/// answering a page — an object with <c>items</c> (an array), <c>nextCursor</c>, <c>total</c> and <c>limit</c> — takes
/// the optional query parameters <c>limit</c> (integer) and <c>cursor</c> (string), and one that takes either answers a
/// page; no operation takes <c>page</c>, <c>pageSize</c> or <c>offset</c>.</item>
/// </list>
/// </summary>
public sealed partial class OpenApiLintTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private static readonly JsonObject Contract =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "contracts", "openapi.json")))!.AsObject();

    private sealed record Operation(string Method, string Path, JsonObject Node)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";

        public string? Id => (string?)Node["operationId"];

        public JsonObject Responses => Node["responses"]?.AsObject() ?? [];

        public IEnumerable<JsonObject> Parameters => (Node["parameters"]?.AsArray() ?? []).Select(p => Resolve(p!.AsObject()));

        public bool HasBody => Node["requestBody"] is not null;

        /// <summary>A command answers <c>CommandAccepted</c> (the body of every command through the pipeline).</summary>
        public bool IsCommand => Responses.Where(r => r.Key.StartsWith('2')).Any(r =>
            (string?)Resolve(r.Value!.AsObject())["content"]?["application/json"]?["schema"]?["$ref"] == "#/components/schemas/CommandAccepted");

        public bool NeedsToken => (Node["security"] ?? Contract["security"])?.AsArray().Count > 0;
    }

    private static List<Operation> Operations() =>
        [.. Contract["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(m => Methods.Contains(m.Key))
            .Select(m => new Operation(m.Key, path.Key, m.Value!.AsObject())))];

    private static JsonObject Resolve(JsonObject node)
    {
        if ((string?)node["$ref"] is not { } reference)
            return node;
        var parts = reference.TrimStart('#', '/').Split('/');
        return parts.Aggregate((JsonNode)Contract, (n, part) => n[part]!).AsObject();
    }

    private static void NoOffenders(string rule, IEnumerable<string> offenders)
    {
        var list = offenders.ToList();
        Assert.True(list.Count == 0, $"contracts/openapi.json: {list.Count} offender(s) of \"{rule}\":\n" + string.Join("\n", list));
    }

    [Fact]
    public void Every_operation_has_a_unique_PascalCase_operationId()
    {
        var operations = Operations();
        var offenders = operations.Where(o => o.Id is null || !PascalCase().IsMatch(o.Id)).Select(o => $"{o}: operationId {o.Id ?? "(none)"}").ToList();
        offenders.AddRange(operations.Where(o => o.Id is not null).GroupBy(o => o.Id).Where(g => g.Count() > 1)
            .Select(g => $"operationId {g.Key} is used by {string.Join(", ", g)}"));
        NoOffenders("a unique PascalCase operationId", offenders);
    }

    [Fact]
    public void Every_endpoint_of_the_host_in_the_contract_names_itself_and_its_name_is_the_operationId()
    {
        var ids = Operations().ToDictionary(o => o.ToString(), o => o.Id);
        var offenders = new List<string>();
        foreach (var endpoint in api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var template = "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText?.Trim('/') ?? "", "{$1}");
            foreach (var method in methods)
            {
                if (!ids.Remove($"{method} {template}", out var id))
                    continue; // not in the document (health checks, Swagger itself)
                var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
                if (name is null || name != id)
                    offenders.Add($"{method} {template}: endpoint name {name ?? "(none: add .WithName(…))"}, operationId {id ?? "(none)"}");
            }
        }
        offenders.AddRange(ids.Keys.Select(operation => $"{operation}: in the document, but no endpoint of the host has that method and route"));
        NoOffenders("the endpoint names itself with .WithName and the name is the operationId", offenders);
    }

    [Fact]
    public void Every_summary_is_Chinese_and_English()
    {
        NoOffenders("summary 中文 · English", Operations()
            .Where(o => (string?)o.Node["summary"] is not { } s || !Bilingual().IsMatch(s))
            .Select(o => $"{o}: summary \"{(string?)o.Node["summary"]}\""));
    }

    [Fact]
    public void Every_operation_says_what_it_answers_on_success()
    {
        var offenders = new List<string>();
        foreach (var o in Operations())
        {
            var successes = o.Responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (successes.Count == 0)
                offenders.Add($"{o}: no 2xx response");
            foreach (var (status, response) in successes)
            {
                var content = Resolve(response!.AsObject())["content"]?.AsObject();
                if (content is null || content.Count == 0)
                {
                    offenders.Add($"{o} {status}: no content (schema or content type)");
                    continue;
                }
                foreach (var (type, media) in content)
                {
                    var schema = media?["schema"]?.AsObject();
                    if (type == "application/json" ? schema is null || schema.Count == 0 : schema is null || (string?)schema["type"] != "string")
                        offenders.Add($"{o} {status} {type}: {(type == "application/json" ? "no schema" : "a non-JSON body needs a string schema")}");
                }
            }
        }
        NoOffenders("a 2xx with its schema or content type", offenders);
    }

    [Fact]
    public void Every_operation_declares_the_problems_it_can_answer_as_problem_details()
    {
        var offenders = new List<string>();
        foreach (var o in Operations())
        {
            var declared = o.Responses.Select(r => r.Key).ToHashSet();
            foreach (var (status, response) in o.Responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var content = Resolve(response!.AsObject())["content"]?.AsObject();
                if (content is null || content.Count != 1 || content["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/Problem")
                    offenders.Add($"{o} {status}: not application/problem+json with the Problem schema alone");
            }
            var required = new SortedSet<string>(StringComparer.Ordinal) { "500" };
            if (o.Path.StartsWith("/api/", StringComparison.Ordinal))
                required.Add("503");
            if (o.NeedsToken)
                required.UnionWith(["401", "403"]);
            if (o.Path.Contains('{', StringComparison.Ordinal))
                required.Add("404");
            if (o.HasBody)
                required.UnionWith(["400", "415"]);
            if (o.IsCommand)
                required.UnionWith(["400", "404", "409", "412", "422"]);
            var missing = required.Where(s => !declared.Contains(s)).ToList();
            if ((o.HasBody || o.Parameters.Any()) && !declared.Overlaps(["400", "404", "422"]))
                missing.Add("one of 400/404/422");
            if (missing.Count > 0)
                offenders.Add($"{o}: lacks {string.Join(", ", missing)}");
        }
        NoOffenders("problem responses as application/problem+json", offenders);
    }

    [Fact]
    public void Commands_take_If_Match_and_Idempotency_Key_and_answer_ETag_and_every_201_answers_Location()
    {
        var offenders = new List<string>();
        foreach (var o in Operations())
        {
            var headers = o.Parameters.Where(p => (string?)p["in"] == "header").ToDictionary(p => (string)p["name"]!, p => p);
            foreach (var (status, response) in o.Responses)
            {
                var answered = Resolve(response!.AsObject())["headers"]?.AsObject() ?? [];
                if (status == "201" && !answered.ContainsKey("Location"))
                    offenders.Add($"{o} 201: no Location header");
                if (o.IsCommand && status.StartsWith('2') && !answered.ContainsKey("ETag"))
                    offenders.Add($"{o} {status}: a command's success without an ETag header");
            }
            if (!o.IsCommand)
                continue;
            foreach (var name in new[] { "If-Match", "Idempotency-Key" })
            {
                if (!headers.TryGetValue(name, out var header))
                    offenders.Add($"{o}: a command without the {name} header");
                else if ((bool?)header["required"] == true)
                    offenders.Add($"{o}: {name} must be optional");
            }
        }
        NoOffenders("command headers", offenders);
    }

    [Fact]
    public void No_schema_is_an_untyped_object_and_every_enum_is_a_string_enum()
    {
        var offenders = new List<string>();
        foreach (var (name, schema) in Contract["components"]?["schemas"]?.AsObject() ?? [])
            Walk(schema!.AsObject(), $"#/components/schemas/{name}", offenders);
        foreach (var o in Operations())
        {
            foreach (var p in o.Parameters)
            {
                if (p["schema"] is JsonObject s)
                    Walk(s, $"{o} parameter {p["name"]}", offenders);
            }
            foreach (var (type, media) in o.Node["requestBody"]?["content"]?.AsObject() ?? [])
            {
                if (media?["schema"] is JsonObject s)
                    Walk(s, $"{o} request {type}", offenders);
            }
            foreach (var (status, response) in o.Responses)
            {
                foreach (var (type, media) in response?["content"]?.AsObject() ?? [])
                {
                    if (media?["schema"] is JsonObject s)
                        Walk(s, $"{o} {status} {type}", offenders);
                }
                foreach (var (header, h) in response?["headers"]?.AsObject() ?? [])
                {
                    if (h?["schema"] is JsonObject s)
                        Walk(s, $"{o} {status} header {header}", offenders);
                }
            }
        }
        NoOffenders("typed schemas and string enums", offenders);
    }

    private static void Walk(JsonObject schema, string where, List<string> offenders)
    {
        if (schema["$ref"] is not null)
            return;
        var type = (string?)schema["type"];
        var described = !string.IsNullOrWhiteSpace((string?)schema["description"]);
        var composed = schema["allOf"] ?? schema["anyOf"] ?? schema["oneOf"];
        var typedAdditional = schema["additionalProperties"] is JsonObject additional && additional.Count > 0;
        if (type is null && composed is null && schema["enum"] is null && !described)
            offenders.Add($"{where}: a schema without a type");
        if (type == "object" && schema["properties"] is null && !typedAdditional && !described)
            offenders.Add($"{where}: an object without properties or typed additionalProperties");
        if (schema["additionalProperties"] is JsonValue open && open.GetValue<bool>() && !described)
            offenders.Add($"{where}: additionalProperties true (free-form) without a description saying why");
        if (schema["enum"] is JsonArray values && (type != "string" || values.Any(v => v is null || v.GetValueKind() != System.Text.Json.JsonValueKind.String || int.TryParse((string)v!, out _))))
            offenders.Add($"{where}: an enum that is not a string enum of names ({values.ToJsonString()})");
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (properties is null || !properties.ContainsKey((string)required!))
                offenders.Add($"{where}: required {required} is not a property");
        }
        foreach (var (name, property) in properties ?? [])
            Walk(property!.AsObject(), $"{where}.{name}", offenders);
        if (schema["items"] is JsonObject items)
            Walk(items, $"{where}[]", offenders);
        if (schema["additionalProperties"] is JsonObject { Count: > 0 } values2)
            Walk(values2, $"{where}{{*}}", offenders);
        foreach (var (i, part) in (composed?.AsArray() ?? []).Select((p, i) => (i, p)))
            Walk(part!.AsObject(), $"{where}/{i}", offenders);
    }

    /// <summary>The JSON schemas an operation answers on success, resolved.</summary>
    private static IEnumerable<JsonObject> Successes(Operation op) =>
        op.Responses.Where(r => r.Key.StartsWith('2'))
            .Select(r => Resolve(r.Value!.AsObject())["content"]?["application/json"]?["schema"])
            .OfType<JsonObject>().Select(Resolve);

    /// <summary>A page of the one list convention: items (an array), nextCursor, total and limit.</summary>
    private static bool IsPage(JsonObject schema) =>
        schema["properties"] is JsonObject p && p["items"] is JsonObject items && (string?)Resolve(items)["type"] == "array"
        && p.ContainsKey("nextCursor") && p.ContainsKey("total") && p.ContainsKey("limit");

    [Fact]
    public void No_GET_answers_a_bare_array_and_every_list_takes_limit_and_cursor()
    {
        var offenders = new List<string>();
        var lists = 0;
        foreach (var op in Operations())
        {
            var successes = Successes(op).ToList();
            if (op.Method == "get" && successes.Any(s => (string?)s["type"] == "array"))
                offenders.Add($"{op}: answers a bare JSON array (a collection is a page: {{items, nextCursor, total, limit}})");
            var query = op.Parameters.Where(p => (string?)p["in"] == "query").ToDictionary(p => (string)p["name"]!);
            foreach (var name in new[] { "page", "pageSize", "offset" }.Where(query.ContainsKey))
                offenders.Add($"{op}: takes {name} (the list convention pages with limit and cursor)");
            var page = successes.Any(IsPage);
            if (page)
            {
                lists++;
                if (!query.TryGetValue("limit", out var limit) || (string?)limit["schema"]?["type"] != "integer" || limit["required"]?.GetValue<bool>() == true)
                    offenders.Add($"{op}: a list without an optional integer limit");
                if (!query.TryGetValue("cursor", out var cursor) || (string?)cursor["schema"]?["type"] != "string" || cursor["required"]?.GetValue<bool>() == true)
                    offenders.Add($"{op}: a list without an optional string cursor");
            }
            else if (query.ContainsKey("limit") || query.ContainsKey("cursor"))
            {
                offenders.Add($"{op}: takes limit or cursor but does not answer a page");
            }
        }
        NoOffenders("lists are pages with limit and cursor", offenders);
        Assert.True(lists >= 17, $"the contract's lists were found ({lists})");
    }

    /// <summary>
    /// Status-like members of the views are the domain's enums, so the document lists their names. The strings left
    /// are not a fixed set of names, each for the reason given.
    /// </summary>
    [Fact]
    public void Status_like_members_are_enums()
    {
        var free = new Dictionary<string, string>
        {
            ["CaseView.statusName"] = "the status in Chinese, for people",
            ["AppointmentView.statusName"] = "the status in Chinese, for people",
            ["DocumentMaterial.status"] = "the printed Chinese label on a document (缺少, 容缺待补 …)",
            ["ProjectionStatus.status"] = "Marten's daemon state as the operator sees it (running, failed)",
            ["RebuildJob.status"] = "a background job's state (running, succeeded, failed)",
            ["StageHolding.stage"] = "Acceptance, Step or Handover: the timeline's own grouping, named by its StageName",
            ["TimelineEntry.role"] = "the role recorded in the event's metadata, as it was when the event was written",
            ["TimelinePoint.role"] = "the role recorded in the event's metadata, as it was when the event was written",
            ["TimelinePoint.roleName"] = "the role in Chinese, for people",
            ["TimelinePoint.statusName"] = "the status in Chinese, for people",
            ["InboxRow.warning"] = "None, Yellow or Red: the inbox's light (None where the board says Green)",
            ["HandoverView.ratingDetails"] = "what the applicant wrote",
            ["StageHolding.stageName"] = "the stage in Chinese (受理, the step's name …), for people",
            ["StopView.kind"] = "a SpecialProcedure name, or Correction (补正), as the case file keeps its clock stops",
            ["ResultDocument.kind"] = "the kind of result document the department names (许可证, 批复 …): a field of the event, free text",
            ["AccountabilityLedgerRow.subjectKind"] = "Person or Department, as the ledger's key (the kind filter checks its values)",
            ["AccountabilityOpened.targetKind"] = "Person or Department, as the event recorded it",
        };
        var offenders = new List<string>();
        string[] statusLike = ["status", "stage", "channel", "method", "rating", "level", "scope", "role", "kind", "warning"];
        foreach (var (name, schema) in Contract["components"]!["schemas"]!.AsObject())
        {
            foreach (var (member, property) in schema!["properties"]?.AsObject() ?? [])
            {
                if ((string?)property!["type"] == "string" && property["enum"] is null && property["format"] is null
                    && statusLike.Any(w => member.Contains(w, StringComparison.OrdinalIgnoreCase))
                    && !free.ContainsKey($"{name}.{member}") && !name.EndsWith("Request", StringComparison.Ordinal))
                {
                    offenders.Add($"{name}.{member}: a plain string; type it as the domain's enum (or say here why it is free)");
                }
            }
        }
        NoOffenders("status-like members are enums", offenders);
    }

    /// <summary>A route parameter with its constraints (<c>{id:guid}</c>), as the document writes it (<c>{id}</c>).</summary>
    [GeneratedRegex(@"\{([^:}]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("^[A-Z][a-z]+(?:[A-Z0-9][a-z0-9]*)*$")]
    private static partial Regex PascalCase();

    /// <summary>中文 · English: Chinese before the middle dot; after it an English phrase of two words or more.</summary>
    [GeneratedRegex(@"^[^·]*\p{IsCJKUnifiedIdeographs}[^·]* · [A-Z][a-z]*[ ,'-][^·]*[A-Za-z]{2,}[^·]*$")]
    private static partial Regex Bilingual();
}

using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// Problem details (RFC 9457) as CaseFlow answers every refusal and failure (<see cref="Problems"/>,
/// <see cref="Security"/>, <see cref="FailureHandler"/>): documentation only, the contract's <c>Problem</c> schema.
/// </summary>
/// <param name="Type">Problems.TypeBase followed by the code.</param>
/// <param name="Title">The status in Chinese.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong, in Chinese a clerk can read.</param>
/// <param name="Code">The stable machine code, e.g. <c>case.not_found</c>.</param>
/// <param name="TraceId">The request's trace.</param>
/// <param name="Errors">The fields refused and why (input rules, a request the framework could not read).</param>
/// <param name="CurrentVersion">412 only: the version the record has now.</param>
public sealed record Problem(
    string Type, string Title, int Status, string Detail, string Code, string TraceId,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors, long? CurrentVersion);

/// <summary>
/// The OpenAPI document (contracts/openapi.json, issue 16): Swashbuckle over the endpoints, with the conventions of
/// <see cref="OpenApiConventions"/> applied by <see cref="OpenApiOperationConventions"/>. Enums are string enums of
/// their names because Swashbuckle reads the minimal APIs' JSON options (JsonStringEnumConverter, Program.cs).
/// A member is <c>required</c> when it is neither nullable nor has a default (<see cref="RequiredMembers"/>);
/// nullable members are <c>nullable</c> — one that is another schema as <c>allOf: [$ref], nullable: true</c> in what the
/// API answers, since OpenAPI 3.0 ignores whatever stands beside a <c>$ref</c> (<see cref="NullableReferences"/>).
/// </summary>
public static class OpenApiDocumentation
{
    public static void AddCaseFlowOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CaseFlow API",
                Version = "v1",
                Description = "综合窗口办件系统：前台综合受理、后台分类审批、限时办结、统一出件、电子监察。" +
                    "每个错误均为 application/problem+json，带稳定的 code。 · " +
                    "CaseFlow, the comprehensive window of government service centres: acceptance at the window, approval in the back office, " +
                    "deadlines in working days, results handed out at the window, supervision. Every error is application/problem+json with a stable code.",
            });
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "开发环境可用 POST /dev/tokens 以演示人员身份获取令牌。 · In Development, POST /dev/tokens issues a token for any of the demo staff.",
            });
            o.AddSecurityDefinition("PlatformSignature", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Endpoints.Platform.PlatformSignature.SignatureHeader,
                Description = "网上办平台签名：HMAC-SHA256(共享密钥, 方法\n路径\n时间戳\nSHA-256(请求内容)) 的十六进制，另附 X-Platform-Id 与 X-Platform-Timestamp（Unix 秒）；见 contracts/online/README.md。 · " +
                    "The provincial platform's signature (contracts/online/README.md); staff tokens are refused on these operations.",
            });
            o.SupportNonNullableReferenceTypes();
            o.SchemaFilter<RequiredMembers>();
            o.SchemaFilter<ProblemSchema>();
            o.SchemaFilter<TupleSchema>();
            o.OperationFilter<OpenApiOperationConventions>();
            o.DocumentFilter<OpenApiComponentsFilter>();
            o.DocumentFilter<NullableReferences>();
        });
    }
}

/// <summary>
/// The conventions in one place, from what an endpoint is (its authorization, parameters, body and the metadata of
/// <see cref="OpenApiConventions"/>):
/// <list type="bullet">
/// <item>security: the bearer token where the endpoint needs one (and only there);</item>
/// <item>problem responses, all <c>application/problem+json</c>: 500 everywhere (FailureHandler); 503 for endpoints
/// on the database; 401 and 403 where a token is needed (and 403 for jurisdiction); 400 for any parameter or body
/// (InputRules, binding); 404 for a path parameter (not found, or a route constraint not met); 413 and 415 for a body;
/// 400, 404, 409, 412 and 422 for a command (CommandHttp and the pipeline); and what <c>.Refuses(…)</c> adds;</item>
/// <item>headers: <c>If-Match</c>, <c>Idempotency-Key</c>, <c>X-Causation-Id</c> into a command; <c>ETag</c>,
/// <c>Location</c>, <c>Idempotent-Replayed</c> out of it; <c>ETag</c> out of reads that set it; <c>Location</c> on
/// every 201 and 202; <c>Retry-After</c> on 503.</item>
/// </list>
/// </summary>
public sealed class OpenApiOperationConventions : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var parameters = context.ApiDescription.ParameterDescriptions;
        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var command = metadata.OfType<CommandEndpoint>().LastOrDefault();
        var body = parameters.Any(p => p.Source == BindingSource.Body);
        var path = parameters.Any(p => p.Source == BindingSource.Path);
        var any = body || parameters.Any(p => p.Source == BindingSource.Path || p.Source == BindingSource.Query);

        var refusals = new SortedSet<int> { StatusCodes.Status500InternalServerError };
        if (metadata.OfType<DatabaseEndpoint>().Any())
            refusals.Add(StatusCodes.Status503ServiceUnavailable);
        if (authorized)
            refusals.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        if (any)
            refusals.Add(StatusCodes.Status400BadRequest);
        if (path)
            refusals.Add(StatusCodes.Status404NotFound);
        if (body)
            refusals.UnionWith([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        if (command is not null)
        {
            refusals.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity]);
        }
        foreach (var more in metadata.OfType<RefusalsEndpoint>())
            refusals.UnionWith(more.Statuses);

        operation.Responses ??= [];
        foreach (var status in refusals)
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponseReference(OpenApiComponentsFilter.ResponseFor(status), context.Document);

        var etag = command is not null || metadata.OfType<ETagEndpoint>().Any();
        var content = metadata.OfType<ContentEndpoint>().LastOrDefault();
        foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')).ToList())
        {
            if (response is not OpenApiResponse success)
                continue;
            success.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (etag)
                success.Headers[OpenApiComponentsFilter.ETag] = Header(OpenApiComponentsFilter.ETag, context);
            if (command is not null || status is "201" or "202")
                success.Headers[OpenApiComponentsFilter.Location] = Header(OpenApiComponentsFilter.Location, context);
            if (command is not null)
            {
                success.Headers[OpenApiComponentsFilter.IdempotentReplayed] = Header(OpenApiComponentsFilter.IdempotentReplayed, context);
                success.Description = status == "201"
                    ? "已办理，新建记录 · Done: the command created the record (its id, new version and the events recorded)"
                    : "已办理 · Done: the record's id, its new version and the events recorded";
            }
            if (content is not null && status == "200")
            {
                success.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (content.Only)
                    success.Content.Clear();
                success.Content[content.ContentType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = content.Description },
                };
            }
        }

        if (command is not null)
        {
            operation.Parameters ??= [];
            foreach (var header in new[] { OpenApiComponentsFilter.IfMatch, OpenApiComponentsFilter.IdempotencyKey, OpenApiComponentsFilter.CausationId })
                operation.Parameters.Add(new OpenApiParameterReference(header, context.Document));
        }

        if (metadata.OfType<ListEndpoint>().Any())
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                parameter.Description = parameter.Name switch
                {
                    "limit" => $"每页条数，1–{Paging.MaxLimit}，默认 {Paging.DefaultLimit} · Page size, 1–{Paging.MaxLimit}, default {Paging.DefaultLimit}",
                    "cursor" => "上一页返回的 nextCursor；不填为第一页 · The nextCursor of the page before; none for the first page",
                    _ => parameter.Description,
                };
            }
        }

        if (metadata.OfType<ETagEndpoint>().Any() && command is null && operation.Responses.ContainsKey("304"))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameterReference(OpenApiComponentsFilter.IfNoneMatch, context.Document));
        }

        if (authorized)
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] }];
        if (metadata.OfType<Endpoints.Platform.PlatformSignedEndpoint>().Any())
        {
            // 网上办 (issue 17): signed by the platform, never a staff token.
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("PlatformSignature", context.Document)] = [] }];
            operation.Parameters ??= [];
            foreach (var (name, description) in new[]
            {
                (Endpoints.Platform.PlatformSignature.PlatformHeader, "平台标识 · The platform's id"),
                (Endpoints.Platform.PlatformSignature.TimestampHeader, "签名时间（Unix 秒，与服务器时间相差不超过 5 分钟）· Signing time, Unix seconds, within 5 minutes of the server's clock"),
            })
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Header, Required = true, Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }
    }

    private static OpenApiHeaderReference Header(string component, OperationFilterContext context) => new(component, context.Document);
}

/// <summary>The shared parts the operations refer to: problem responses, command headers (components of the document).</summary>
public sealed class OpenApiComponentsFilter : IDocumentFilter
{
    public const string IfMatch = "If-Match";
    public const string IfNoneMatch = "If-None-Match";
    public const string IdempotencyKey = "Idempotency-Key";
    public const string CausationId = "X-Causation-Id";
    public const string ETag = "ETag";
    public const string Location = "Location";
    public const string IdempotentReplayed = "Idempotent-Replayed";
    public const string RetryAfter = "Retry-After";

    /// <summary>Each refusal's component name and what it means here.</summary>
    private static readonly SortedDictionary<int, (string Name, string Description)> Refusals = new()
    {
        [400] = ("BadRequest", "请求有误 · The request is malformed or a value is refused: the input rules, a value the framework cannot read, If-Match or Idempotency-Key not of their form, or the domain's validation; errors names the fields"),
        [401] = ("Unauthorized", "未登录 · No token, an invalid or expired one, or one that names no member of staff or no known role"),
        [403] = ("Forbidden", "无权操作 · The caller's role may not do this, a claim the role needs is missing, or the object is outside the caller's jurisdiction"),
        [404] = ("NotFound", "未找到 · No such record (or the path's id is not of its form)"),
        [409] = ("Conflict", "冲突 · Someone changed the record at the same time, a request with the same Idempotency-Key is still running, or a unique key is taken"),
        [412] = ("PreconditionFailed", "数据版本已变化 · If-Match names a version that is no longer the record's; currentVersion says which is"),
        [413] = ("PayloadTooLarge", "内容过大 · The body is too large"),
        [415] = ("UnsupportedMediaType", "格式不支持 · The body is not application/json"),
        [422] = ("UnprocessableEntity", "不符合办理规则 · A rule of the domain refuses it, or the Idempotency-Key was used for another request"),
        [429] = ("TooManyRequests", "请求过于频繁 · Too many requests from this address to the public booking API; retry after Retry-After seconds"),
        [500] = ("ServerError", "系统错误 · An unexpected failure (logged without the data)"),
        [503] = ("DatabaseUnavailable", "数据库暂时无法访问 · The database is unavailable; nothing was lost, retry after Retry-After seconds"),
    };

    public static string ResponseFor(int status) =>
        Refusals.TryGetValue(status, out var r) ? r.Name : throw new InvalidOperationException($"No problem response for status {status}: add it to OpenApiComponentsFilter");

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var problem = context.SchemaGenerator.GenerateSchema(typeof(Problem), context.SchemaRepository);
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        document.Components ??= new OpenApiComponents();

        document.Components.Headers = new Dictionary<string, IOpenApiHeader>
        {
            [ETag] = new OpenApiHeader { Description = "记录的当前版本，下次修改时作为 If-Match 发送 · The record's version, to send back as If-Match, e.g. \"3\"", Schema = text },
            [Location] = new OpenApiHeader { Description = "所办理记录的地址 · Where the record acted on (or the job started) is read", Schema = text },
            [IdempotentReplayed] = new OpenApiHeader { Description = "true：这是同一 Idempotency-Key 首次办理的结果 · true when this is the first answer to the same Idempotency-Key, replayed", Schema = text },
            [RetryAfter] = new OpenApiHeader { Description = "秒数 · Seconds to wait before retrying", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" } },
        };
        document.Components.Parameters = new Dictionary<string, IOpenApiParameter>
        {
            [IfMatch] = Header(IfMatch, "上次读取时返回的 ETag；记录已被修改时为 412 · The ETag last read: 412 when the record has changed since"),
            [IfNoneMatch] = Header(IfNoneMatch, "上次读取时返回的 ETag；未变化时为 304，不再返回内容 · The ETag last read: 304 without a body while it is unchanged"),
            [IdempotencyKey] = Header(IdempotencyKey, "至多 200 个字符；重放时得到首次的结果（保留 24 小时） · At most 200 characters: a replay gets the first answer (keys are kept 24 hours)"),
            [CausationId] = Header(CausationId, "调用方的因果编号（字母、数字、- _ . :，至多 100 个字符），记入事件元数据 · The caller's causation id (letters, digits, - _ . :, at most 100), stored with the events"),
        };
        document.Components.Responses = Refusals.ToDictionary(r => r.Value.Name, r =>
        {
            var response = new OpenApiResponse
            {
                Description = r.Value.Description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            };
            if (r.Key is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
                response.Headers = new Dictionary<string, IOpenApiHeader> { [RetryAfter] = new OpenApiHeaderReference(RetryAfter, document) };
            return (IOpenApiResponse)response;
        });

        OpenApiParameter Header(string name, string description) =>
            new() { Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = text };
    }
}

/// <summary>
/// A member is required when it is not nullable and its record gives it no default (<c>Channel Channel = Channel.Window</c>
/// is optional): value types and reference types alike, as the serializer always writes them (no member is ever left out).
/// </summary>
public sealed class RequiredMembers : ISchemaFilter
{
    /// <summary>Where the names of a schema's nullable members that refer to another schema are kept for <see cref="NullableReferences"/>.</summary>
    public const string NullableReferenceMembers = "caseflow.nullable-references";

    private static readonly NullabilityInfoContext Nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type.IsPrimitive || context.Type.IsEnum)
            return;
        var defaults = context.Type.GetConstructors().SelectMany(c => c.GetParameters())
            .Where(p => p.HasDefaultValue).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var required = new HashSet<string>(StringComparer.Ordinal);
        var nullableReferences = new List<string>();
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = target.Properties.Keys.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
            if (name is null)
                continue;
            var nullable = IsNullable(property);
            if (!nullable && !defaults.Contains(property.Name))
                required.Add(name);
            if (nullable && target.Properties[name] is OpenApiSchemaReference)
                nullableReferences.Add(name);
        }
        target.Required = new HashSet<string>(target.Properties.Keys.Where(required.Contains), StringComparer.Ordinal);
        if (nullableReferences.Count > 0)
            (target.Metadata ??= new Dictionary<string, object>())[NullableReferenceMembers] = nullableReferences;
    }

    private static bool IsNullable(PropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
            return Nullable.GetUnderlyingType(property.PropertyType) is not null;
        lock (Nullability)
            return Nullability.Create(property).ReadState != NullabilityState.NotNull;
    }
}

/// <summary>What each member of <see cref="Problem"/> means.</summary>
public sealed class ProblemSchema : ISchemaFilter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["type"] = "问题类型 · https://caseflow.example.cn/problems/ followed by the code",
        ["title"] = "状态的中文名称 · The status in Chinese",
        ["status"] = "HTTP 状态码 · The HTTP status",
        ["detail"] = "给窗口人员看的中文说明 · What went wrong, in Chinese a clerk can read",
        ["code"] = "稳定的机器可读代码 · The stable machine code, e.g. case.not_found",
        ["traceId"] = "请求的追踪编号 · The request's trace id",
        ["errors"] = "被拒绝的字段及原因（仅输入校验） · The fields refused and why (input rules only)",
        ["currentVersion"] = "仅 412：记录现在的版本 · 412 only: the record's version now",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(Problem) || schema is not OpenApiSchema target || target.Properties is null)
            return;
        target.Description = "问题详情（RFC 9457） · Problem details (RFC 9457) with CaseFlow's stable code";
        foreach (var (name, property) in target.Properties)
        {
            if (property is not OpenApiSchema member || !Descriptions.TryGetValue(name, out var description))
                continue;
            member.Description = description;
            member.Type &= ~JsonSchemaType.Null; // errors and currentVersion are left out when they do not apply, never null
        }
    }
}

/// <summary>
/// A C# value tuple in a view: System.Text.Json writes none of its fields, so each is <c>{}</c> on the wire. Said
/// so, rather than promising members that never come (the only one is <c>CaseAttribution.byDepartment</c>).
/// </summary>
public sealed class TupleSchema : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || !context.Type.IsValueType || !context.Type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
            return;
        target.Type = JsonSchemaType.Object;
        target.Properties = null;
        target.Required = null;
        target.AdditionalPropertiesAllowed = false;
        target.Description = "始终为空对象 · Always an empty object: a C# tuple, whose fields the serializer does not write";
    }
}

/// <summary>
/// A nullable member that is another schema (<c>CaseView.agent</c>, <c>OwnLedger.person</c>): in the schemas the API
/// answers with, where it writes <c>null</c>, it is <c>allOf: [$ref], nullable: true</c>. In schemas that requests
/// carry it stays a bare <c>$ref</c>, not required: the server reads an absent member and <c>null</c> alike, and
/// FuzzTests walks request bodies through a <c>$ref</c> only (a schema used both ways counts as a request's).
/// </summary>
public sealed class NullableReferences : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var requests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                Reach(media.Schema, schemas, requests);
        }
        foreach (var (name, schema) in schemas)
        {
            if (requests.Contains(name) || schema is not OpenApiSchema { Properties: { } properties } target
                || target.Metadata is null || !target.Metadata.TryGetValue(RequiredMembers.NullableReferenceMembers, out var found) || found is not List<string> members)
                continue;
            foreach (var member in members)
                properties[member] = new OpenApiSchema { AllOf = [properties[member]], Type = JsonSchemaType.Null };
        }
    }

    private static void Reach(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> schemas, HashSet<string> reached)
    {
        switch (schema)
        {
            case null:
                return;
            case OpenApiSchemaReference reference:
                if (reference.Reference.Id is { } id && reached.Add(id) && schemas.TryGetValue(id, out var target))
                    Reach(target, schemas, reached);
                return;
        }
        foreach (var inner in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? []))
            Reach(inner, schemas, reached);
        Reach(schema.Items, schemas, reached);
        Reach(schema.AdditionalProperties, schemas, reached);
    }
}

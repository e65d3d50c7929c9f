using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace CaseFlow.Client.Tests;

/// <summary>
/// How Generated/CaseFlowClient.cs is made from contracts/openapi.json: NSwag, one client class named by the
/// operationIds, System.Text.Json, nullable reference types, enums as their names, no base URL (the caller's
/// <see cref="HttpClient.BaseAddress"/>). <see cref="GeneratedClientTests"/> keeps the committed file equal to it.
/// </summary>
public static class ClientGenerator
{
    public static string ContractPath => Path.Combine(CaseFlow.Testing.Repository.Root, "contracts", "openapi.json");

    public static string ClientPath => Path.Combine(CaseFlow.Testing.Repository.Root, "tests", "CaseFlow.Client.Tests", "Generated", "CaseFlowClient.cs");

    /// <summary>Generated code is not held to the project's analyzers and warnings; only this file is exempt.</summary>
    private const string Header = "// Generated from contracts/openapi.json by ClientGenerator (tests/CaseFlow.Client.Tests): do not edit.\n"
        + "// Regenerate: CASEFLOW_UPDATE_CONTRACTS=1 dotnet test tests/CaseFlow.Client.Tests\n"
        + "#pragma warning disable\n";

    public static async Task<string> GenerateAsync(string openApiJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(openApiJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "CaseFlowClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            GenerateClientInterfaces = false,
            GenerateOptionalParameters = true,
            ParameterNameGenerator = new HeaderParameterNames(),
            UseBaseUrl = false,
            GenerateBaseUrlProperty = false,
            InjectHttpClient = true,
            DisposeHttpClient = false,
            GenerateExceptionClasses = true,
            ExceptionClass = "ApiException",
            GenerateSyncMethods = false,
            ParameterDateFormat = "yyyy-MM-dd",
            CSharpGeneratorSettings =
            {
                Namespace = "CaseFlow.Client",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
                GenerateDataAnnotations = false,
                ClassStyle = CSharpClassStyle.Poco,
                DateType = "System.DateOnly",
                TimeType = "System.TimeOnly",
                DateTimeType = "System.DateTimeOffset",
            },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        return Header + code.ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    /// <summary>Header parameters in camelCase without the X- prefix (<c>ifMatch</c>, <c>idempotencyKey</c>, <c>causationId</c>).</summary>
    private sealed class HeaderParameterNames : IParameterNameGenerator
    {
        private readonly DefaultParameterNameGenerator _default = new();

        public string Generate(OpenApiParameter parameter, IEnumerable<OpenApiParameter> allParameters)
        {
            if (parameter.Kind != OpenApiParameterKind.Header)
                return _default.Generate(parameter, allParameters);
            var words = parameter.Name.Split('-', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w is "X" or "x").ToArray();
            return string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        }
    }
}

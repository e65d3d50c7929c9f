using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseFlow.Client;

/// <summary>
/// The generated client's one hand-written setting: an optional property left unset is left out of the body, as the
/// contract means by optional (the generator makes it nullable and would send <c>null</c>, which a property that is
/// not nullable, such as <c>channel</c>, refuses).
/// </summary>
public partial class CaseFlowClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}

using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CaseFlow.Domain.Common;

namespace CaseFlow.Persistence.EventStore;

/// <summary>
/// Turns an old event shape into the next one, over raw JSON. Upcasters chain: <c>x.v1 → x.v2 → x.v3</c>;
/// rows are never rewritten, the chain runs every time an old row is read.
/// </summary>
public interface IEventUpcaster
{
    string FromType { get; }
    string ToType { get; }
    JsonObject Upcast(JsonObject old);
}

/// <summary>
/// Maps stable event names to CLR types (from <see cref="EventCatalog"/>) and back, serialises with
/// System.Text.Json, and runs the upcaster chain on load. No reflection over CLR names, no dynamic.
/// </summary>
public sealed class EventSerializer
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private readonly FrozenDictionary<string, Type> _byName;
    private readonly FrozenDictionary<Type, string> _byType;
    private readonly FrozenDictionary<string, IEventUpcaster> _upcasters;

    public EventSerializer(IEnumerable<(string Name, Type Type)> types, IEnumerable<IEventUpcaster> upcasters)
    {
        var list = types.ToList();
        _byName = list.ToFrozenDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);
        _byType = list.ToFrozenDictionary(t => t.Type, t => t.Name);
        _upcasters = upcasters.ToFrozenDictionary(u => u.FromType, StringComparer.Ordinal);
    }

    /// <summary>The product's registry: every event in <see cref="EventCatalog"/> and every upcaster.</summary>
    public static EventSerializer Default { get; } = new(EventCatalog.All, Upcasters.All);

    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    public string NameOf(object @event) =>
        _byType.TryGetValue(@event.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"Event type {@event.GetType().Name} has no registered stable name.");

    /// <summary>The stable name of a CaseFlow event; false for anything else (Marten's own tombstones).</summary>
    public bool TryNameOf(object @event, out string name) => _byType.TryGetValue(@event.GetType(), out name!);

    public string Serialize(object @event) => JsonSerializer.Serialize(@event, @event.GetType(), Options);

    /// <summary>Reads a stored row, upcasting old shapes until a registered type is reached.</summary>
    public (string Type, object Data) Deserialize(string type, string json)
    {
        if (_byName.TryGetValue(type, out var clr))
            return (type, JsonSerializer.Deserialize(json, clr, Options)!);

        var node = JsonNode.Parse(json) as JsonObject ?? throw new UnknownEventTypeException(type);
        var current = type;
        var guard = 0;
        while (_upcasters.TryGetValue(current, out var upcaster))
        {
            node = upcaster.Upcast(node);
            current = upcaster.ToType;
            if (_byName.TryGetValue(current, out clr))
                return (current, node.Deserialize(clr, Options)!);
            if (++guard > 64)
                break;
        }
        throw new UnknownEventTypeException(type);
    }
}

public sealed class UnknownEventTypeException(string type)
    : Exception($"Stored event type '{type}' is neither registered nor upcastable to a registered type.")
{
    public string EventType { get; } = type;
}

/// <summary>The product's upcasters, one per retired event version.</summary>
public static class Upcasters
{
    public static IReadOnlyList<IEventUpcaster> All { get; } = [new CaseDecidedV1ToV2()];
}

/// <summary>
/// <c>case.decided.v1</c> did not record the working days the case took; v2 does. A v1 decision reads as v2 with
/// <c>workingDaysUsed</c> null (unknown), which the reports leave out of their averages rather than guess.
/// </summary>
public sealed class CaseDecidedV1ToV2 : IEventUpcaster
{
    public string FromType => "case.decided.v1";

    public string ToType => "case.decided.v2";

    public JsonObject Upcast(JsonObject old)
    {
        old["workingDaysUsed"] = null;
        return old;
    }
}

using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.EventStore;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// The one way into a case, for commands and reads alike: the case is loaded, the caller's place (token) and the
/// case's location (centre, region, departments) go to <see cref="Jurisdiction.Check"/>, and only then does the
/// decider or the view run (issue 13). Every case endpoint names the <see cref="CaseAccess"/> it needs.
/// </summary>
public static class CaseAccessHttp
{
    /// <summary>A command on an existing case, decided only within the caller's jurisdiction.</summary>
    public static async Task<IResult> OnCaseAsync(
        HttpContext http, CommandHttp commands, CaseDesk desks, Guid id, string name, object request, CaseAccess access,
        Func<CaseFile, Actor, Desk, DateTimeOffset, Decision> decide, string? resourcePath = null)
    {
        var place = http.User.Place();
        var desk = await desks.ForCaseAsync(id, place.CentreId, place.DepartmentId, place.StaffId, http.RequestAborted);
        return await commands.ExecuteAsync(http, name, CaseFile.Kind, id, request, resourcePath ?? $"/api/window/cases/{id}",
            (state, actor, now) => state.Status == CaseStatus.None
                ? decide(state, actor, desk, now) // the decider answers "not found"
                : Jurisdiction.Check(place, state.Location(desk.CaseRegionCode), access) is { } refused
                    ? Decision.Fail(refused)
                    : decide(state, actor, desk, now));
    }

    /// <summary>Loads a case for a read: 404 when there is none, the jurisdiction's refusal when it is not the caller's to see.</summary>
    public static async Task<(CaseFile? File, LoadedStream? Stream, IResult? Denied)> LoadAsync(
        Guid id, HttpContext http, IEventStore store, CaseDesk desks, CaseAccess access)
    {
        var stream = await store.LoadAsync(id, http.RequestAborted);
        if (stream is null || stream.Kind != CaseFile.Kind.Name)
            return (null, null, Problems.Problem(404, "case.not_found", "未找到该办件。"));
        var file = CaseFile.Kind.Fold(stream.Events.Select(e => e.Data));
        var location = file.Location(await desks.RegionOfCentreAsync(file.CentreId, http.RequestAborted));
        // Everyone who acted on the case is involved in it (the timeline is theirs to read).
        location = location with { Involved = [.. location.Involved, .. stream.Events.Select(e => e.Metadata.ActorId)] };
        return Jurisdiction.Check(http.User.Place(), location, access) is { } refused
            ? (null, null, Problems.From(refused))
            : (file, stream, null);
    }
}

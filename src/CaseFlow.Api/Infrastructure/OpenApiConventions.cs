using CaseFlow.Persistence.Commands;

namespace CaseFlow.Api.Infrastructure;

/// <summary>What a command answers on success (<see cref="CommandPipeline"/>: 201 when the command created its stream).</summary>
public enum CommandAnswer
{
    /// <summary>200: the command acted on a stream that exists.</summary>
    Updated,

    /// <summary>201: the command always starts a new stream (a new id, or one derived from a code not yet used).</summary>
    Created,

    /// <summary>201 the first time (the stream is created), 200 after (a year's calendar, the warning rules).</summary>
    CreatedOrUpdated,
}

/// <summary>An endpoint that runs through <see cref="CommandHttp"/> (read by <see cref="OpenApiOperationConventions"/>).</summary>
public sealed record CommandEndpoint(CommandAnswer Answer);

/// <summary>A read that answers <c>ETag</c> with the version it read.</summary>
public sealed record ETagEndpoint;

/// <summary>The endpoint's group reads or writes PostgreSQL: 503 <c>server.database_unavailable</c> while it is away.</summary>
public sealed record DatabaseEndpoint;

/// <summary>A success answered as another content type than JSON (with <c>format=csv</c>, a printable page).</summary>
public sealed record ContentEndpoint(string ContentType, string Description, bool Only);

/// <summary>A collection read under the one list convention (<see cref="Paging"/>): <c>limit</c> and <c>cursor</c> in, <see cref="Page{T}"/> out.</summary>
public sealed record ListEndpoint;

/// <summary>Refusals an endpoint gives beyond those its kind gives anyway (<see cref="OpenApiOperationConventions"/>).</summary>
public sealed record RefusalsEndpoint(IReadOnlyList<int> Statuses);

/// <summary>
/// How an endpoint tells the contract what it answers (issue 16). Each endpoint names itself (<c>.WithName</c>, the
/// operationId), says <c>中文 · English</c> in its summary and its detail in Chinese (<c>.WithDescription</c>), and
/// declares its success here; the problem responses, headers and security follow from what it is, in one place
/// (<see cref="OpenApiOperationConventions"/>).
/// </summary>
public static class OpenApiConventions
{
    /// <summary>
    /// A command through <see cref="CommandHttp"/>: <see cref="CommandAccepted"/> with 200 and/or 201, <c>If-Match</c>,
    /// <c>Idempotency-Key</c> and <c>X-Causation-Id</c> in, <c>ETag</c>, <c>Location</c> and <c>Idempotent-Replayed</c> out,
    /// and the refusals the pipeline can give (400, 404, 409, 412, 422).
    /// </summary>
    public static RouteHandlerBuilder Command(this RouteHandlerBuilder endpoint, CommandAnswer answer = CommandAnswer.Updated)
    {
        if (answer != CommandAnswer.Created)
            endpoint.Produces<CommandAccepted>(StatusCodes.Status200OK);
        if (answer != CommandAnswer.Updated)
            endpoint.Produces<CommandAccepted>(StatusCodes.Status201Created);
        return endpoint.WithMetadata(new CommandEndpoint(answer));
    }

    /// <summary>A read answering <typeparamref name="TView"/> as JSON (200), with <c>ETag</c> when <paramref name="etag"/>.</summary>
    public static RouteHandlerBuilder Reads<TView>(this RouteHandlerBuilder endpoint, bool etag = false)
    {
        endpoint.Produces<TView>(StatusCodes.Status200OK);
        return etag ? endpoint.WithMetadata(new ETagEndpoint()) : endpoint;
    }

    /// <summary>
    /// A list under the one convention (<see cref="Paging"/>, README "Lists"): 200 with <see cref="Page{T}"/> of
    /// <typeparamref name="TRow"/>; the endpoint binds <c>int? limit, string? cursor</c> and reads them with
    /// <see cref="Paging.Read"/>.
    /// </summary>
    public static RouteHandlerBuilder Lists<TRow>(this RouteHandlerBuilder endpoint) => endpoint.ListsPage<Page<TRow>>();

    /// <summary>
    /// A list whose page carries more beside the convention's fields (the board's <c>counts</c>): <typeparamref name="TPage"/>
    /// has <c>items</c>, <c>nextCursor</c>, <c>total</c> and <c>limit</c> as <see cref="Page{T}"/> does (the lint checks).
    /// </summary>
    public static RouteHandlerBuilder ListsPage<TPage>(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<TPage>(StatusCodes.Status200OK).WithMetadata(new ListEndpoint());

    /// <summary>The success is also given as <paramref name="contentType"/> (e.g. <c>text/csv</c> with <c>format=csv</c>).</summary>
    public static RouteHandlerBuilder AlsoAs(this RouteHandlerBuilder endpoint, string contentType, string description) =>
        endpoint.WithMetadata(new ContentEndpoint(contentType, description, Only: false));

    /// <summary>The success is only given as <paramref name="contentType"/> (a printable HTML page).</summary>
    public static RouteHandlerBuilder Answers(this RouteHandlerBuilder endpoint, string contentType, string description) =>
        endpoint.Produces(StatusCodes.Status200OK).WithMetadata(new ContentEndpoint(contentType, description, Only: true));

    /// <summary>Problem responses the endpoint gives beyond those of its kind (e.g. 422 when a calendar year is not published).</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder endpoint, params int[] statuses) =>
        endpoint.WithMetadata(new RefusalsEndpoint(statuses));

    /// <summary>Every endpoint of the group reads or writes the database (503 while it is unavailable).</summary>
    public static RouteGroupBuilder UsesDatabase(this RouteGroupBuilder group) => group.WithMetadata(new DatabaseEndpoint());
}

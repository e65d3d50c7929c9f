namespace CaseFlow.Domain.Common;

/// <summary>What kind of refusal a <see cref="DomainError"/> is; the host maps it to an HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed (400).</summary>
    Validation,
    /// <summary>The thing asked about does not exist (404).</summary>
    NotFound,
    /// <summary>The actor may not do this (403).</summary>
    Forbidden,
    /// <summary>A business rule refuses the command in the current state (422).</summary>
    Rule,
    /// <summary>The state changed under the caller (409).</summary>
    Conflict,
}

/// <summary>
/// An explicit refusal by the domain: a stable machine <paramref name="Code"/> (never changes once
/// published, e.g. <c>inquiry.referral_target_required</c>) and a Chinese message a clerk can read.
/// </summary>
public sealed record DomainError(string Code, string Message, ErrorKind Kind = ErrorKind.Rule)
{
    public static DomainError Validation(string code, string message) => new(code, message, ErrorKind.Validation);
    public static DomainError NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);
    public static DomainError Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
    public static DomainError Rule(string code, string message) => new(code, message, ErrorKind.Rule);
}

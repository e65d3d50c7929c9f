using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Acceptance;

public enum NoticeLetterStatus
{
    None,
    Issued,
    StubSigned,
    Closed,
}

/// <summary>The applicant signed the notice's stub (回执) at the window.</summary>
public sealed record SignNoticeStub(string SignedBy);

/// <summary>
/// One one-time notice letter's life (DOMAIN.md §4 "notice stream"): issued → stub signed → corrections received
/// → closed. The case's commands start and close it; the stub is signed on the letter itself.
/// </summary>
public sealed record NoticeLetter(Guid Id, Guid CaseId, string CentreId, string DocumentNumber, NoticeLetterStatus Status, string? SignedBy)
{
    public static readonly StreamKind<NoticeLetter> Kind = new("notice", new NoticeLetter(Guid.Empty, Guid.Empty, "", "", NoticeLetterStatus.None, null), Evolve);

    public static NoticeLetter Evolve(NoticeLetter s, object e) => e switch
    {
        NoticeIssued i => new NoticeLetter(i.NoticeId, i.CaseId, i.CentreId, i.DocumentNumber, NoticeLetterStatus.Issued, null),
        NoticeStubSigned x => s with { Status = s.Status == NoticeLetterStatus.Closed ? s.Status : NoticeLetterStatus.StubSigned, SignedBy = x.SignedBy },
        NoticeClosed => s with { Status = NoticeLetterStatus.Closed },
        _ => s,
    };

    public static Decision Decide(SignNoticeStub c, NoticeLetter s, Actor actor, string? actingCentreId, DateTimeOffset now)
    {
        if (s.Status == NoticeLetterStatus.None)
            return DomainError.NotFound("notice.not_found", "未找到该告知书。");
        if (actor.Role != Role.Clerk)
            return DomainError.Forbidden("case.clerk_only", "只有综合窗口受理人员可以登记告知书回执。");
        if (actingCentreId != s.CentreId)
            return DomainError.Forbidden("case.other_centre", "该办件不属于本中心，只能办理本中心的办件。");
        if (s.SignedBy is not null)
            return DomainError.Rule("notice.stub_already_signed", $"告知书回执已由{s.SignedBy}签收。");
        if (string.IsNullOrWhiteSpace(c.SignedBy))
            return DomainError.Validation("notice.signer_required", "请填写签收人姓名。");
        return Decision.Append(new NoticeStubSigned(s.Id, c.SignedBy.Trim(), actor.Id, actor.Name, now));
    }
}

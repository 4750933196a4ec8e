namespace FgcReturns.Core.Audit;

/// <summary>
/// The audit log's action names: written by the features, read back by history pages, conflict messages and the
/// chase list. Stored as text, so a name never changes once written.
/// </summary>
public static class AuditActions
{
    /// <summary>An answer changed (form, upload, tracker or API); ItemKey names it.</summary>
    public const string ValueChanged = nameof(ValueChanged);

    /// <summary>The LA's explanation of a query changed; ItemKey is the rule id.</summary>
    public const string ExplanationChanged = nameof(ExplanationChanged);

    /// <summary>The LA submitted a version of its return.</summary>
    public const string Submitted = nameof(Submitted);

    /// <summary>The LA took its submitted return back to change it.</summary>
    public const string Reopened = nameof(Reopened);

    /// <summary>An analyst accepted the return.</summary>
    public const string Accepted = nameof(Accepted);

    /// <summary>An analyst sent the return back for amendment.</summary>
    public const string ReturnedForAmendment = nameof(ReturnedForAmendment);

    /// <summary>An analyst reopened an accepted return.</summary>
    public const string ReopenedByAnalyst = nameof(ReopenedByAnalyst);

    /// <summary>An analyst added a note about a question; ItemKey names it.</summary>
    public const string NoteAdded = nameof(NoteAdded);

    /// <summary>Answers computed from a case-level tracker were saved.</summary>
    public const string TrackerApplied = nameof(TrackerApplied);

    /// <summary>An administrator created a collection.</summary>
    public const string CollectionCreated = nameof(CollectionCreated);

    /// <summary>A collection opened on its opening date.</summary>
    public const string CollectionOpened = nameof(CollectionOpened);

    /// <summary>A collection closed (at its deadline or by an administrator).</summary>
    public const string CollectionClosed = nameof(CollectionClosed);

    /// <summary>An administrator extended a collection's deadline.</summary>
    public const string DeadlineExtended = nameof(DeadlineExtended);

    /// <summary>An analyst set (or cleared) the date a collection's benchmarks are published.</summary>
    public const string PublicationDateSet = nameof(PublicationDateSet);

    /// <summary>An administrator reopened a closed collection.</summary>
    public const string CollectionReopened = nameof(CollectionReopened);

    /// <summary>An administrator invited a user.</summary>
    public const string UserInvited = nameof(UserInvited);

    /// <summary>An administrator sent a user a new invitation link.</summary>
    public const string InvitationResent = nameof(InvitationResent);

    /// <summary>An administrator changed a user's role or LA.</summary>
    public const string UserAccessChanged = nameof(UserAccessChanged);

    /// <summary>An administrator deactivated a user.</summary>
    public const string UserDeactivated = nameof(UserDeactivated);

    /// <summary>An administrator reactivated a user.</summary>
    public const string UserReactivated = nameof(UserReactivated);

    /// <summary>Someone asked for a password reset link for this account.</summary>
    public const string PasswordResetRequested = nameof(PasswordResetRequested);

    /// <summary>An invited user set their first password.</summary>
    public const string PasswordSet = nameof(PasswordSet);

    /// <summary>A user set a new password from a reset link.</summary>
    public const string PasswordReset = nameof(PasswordReset);

    /// <summary>A user's first sign-in with DfE Sign-in linked the provider's account to theirs.</summary>
    public const string ExternalLoginLinked = nameof(ExternalLoginLinked);

    /// <summary>An API client was created.</summary>
    public const string ApiClientCreated = nameof(ApiClientCreated);

    /// <summary>An API client was revoked.</summary>
    public const string ApiClientRevoked = nameof(ApiClientRevoked);
}

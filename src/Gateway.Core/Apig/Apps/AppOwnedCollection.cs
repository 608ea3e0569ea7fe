namespace Gateway.Apig.Apps;

/// <summary>
/// An instance-scoped collection whose entries carry a top-level <c>app_id</c> and are deleted with that APP, inside the
/// same transaction. The credential family's own dependents (AppCodes, access control, authorizations, quota bindings)
/// are always included; other families register theirs in DI.
/// </summary>
/// <param name="Collection">The collection of an instance, from its id.</param>
internal sealed record AppOwnedCollection(Func<string, string> Collection);

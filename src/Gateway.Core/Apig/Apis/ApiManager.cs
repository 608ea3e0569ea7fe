namespace Gateway.Apig.Apis;

/// <summary>3.5 APIs (being built).</summary>
internal sealed class ApiManager;

namespace FgcReturns.Core;

/// <summary>The portal cannot start for a reason an operator can fix; its message says how, in plain words.</summary>
public sealed class StartupException(string message) : Exception(message);

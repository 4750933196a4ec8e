namespace FgcReturns.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply EF Core migrations at start-up. Always on for the private development cluster; off otherwise unless asked.</summary>
    public bool ApplyMigrations { get; set; }

    /// <summary>Where the private development cluster lives; defaults to .data/postgres at the repository root.</summary>
    public string? PrivateClusterPath { get; set; }
}

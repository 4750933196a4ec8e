namespace FgcReturns.Core.ReferenceData;

public sealed class Region
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public List<LocalAuthority> LocalAuthorities { get; } = [];
}

/// <summary>An English LA with children's services responsibility, keyed by its stable DfE 3-digit code.</summary>
public sealed class LocalAuthority
{
    public required string Code { get; init; }
    public required string OnsCode { get; set; }
    public required string Name { get; set; }
    public required string RegionCode { get; set; }
    public Region? Region { get; set; }
    public DateOnly OnsCodeValidFrom { get; set; }
    public List<StatisticalNeighbour> Neighbours { get; } = [];
}

public sealed class StatisticalNeighbour
{
    public required string LaCode { get; init; }
    public required string NeighbourLaCode { get; init; }
    public int Rank { get; set; }
    public required string Closeness { get; set; }
    public LocalAuthority? Neighbour { get; set; }
}

/// <summary>ONS mid-year estimate of children aged 0 to 17 for an LA and year.</summary>
public sealed class ChildPopulation
{
    public required string LaCode { get; init; }
    public int Year { get; init; }
    public int Population { get; set; }
}

/// <summary>Effective-dated ONS codes, including predecessors of reorganised LAs.</summary>
public sealed class LaCodeHistory
{
    public long Id { get; init; }
    public required string LaCode { get; init; }
    public required string OnsCode { get; init; }
    public required string Name { get; init; }
    public required string RegionCode { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
}

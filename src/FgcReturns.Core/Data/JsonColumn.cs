using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Data;

/// <summary>Maps a dictionary property to a jsonb column, compared by content so edits are detected.</summary>
internal static class JsonColumn
{
    public static PropertyBuilder<Dictionary<string, TValue>> HasJsonbConversion<TValue>(this PropertyBuilder<Dictionary<string, TValue>> property)
    {
        var comparer = new ValueComparer<Dictionary<string, TValue>>(
            (a, b) => JsonSerializer.Serialize(a, (JsonSerializerOptions?)null) == JsonSerializer.Serialize(b, (JsonSerializerOptions?)null),
            d => JsonSerializer.Serialize(d, (JsonSerializerOptions?)null).GetHashCode(StringComparison.Ordinal),
            d => new Dictionary<string, TValue>(d));
        property.HasConversion(
                d => JsonSerializer.Serialize(d, (JsonSerializerOptions?)null),
                s => JsonSerializer.Deserialize<Dictionary<string, TValue>>(s, (JsonSerializerOptions?)null) ?? new Dictionary<string, TValue>())
            .HasColumnType("jsonb")
            .Metadata.SetValueComparer(comparer);
        return property;
    }
}

using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.ApiClients;

/// <summary>Creates, lists and revokes API clients, and recognises a client from its secret.</summary>
public sealed class ApiClientService(FgcDbContext db, TimeProvider clock)
{
    public const int NameMaxLength = 100;
    public const string SecretPrefix = "fgc_";
    public static readonly IReadOnlyList<int> ExpiryMonthChoices = [3, 6, 12];
    public const int DefaultExpiryMonths = 12;

    /// <summary>Clients the user may manage: their own LA's, or every LA's for an administrator.</summary>
    public async Task<IReadOnlyList<ApiClientRow>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var query = db.Set<ApiClient>().AsNoTracking();
        if (!user.IsInRole(Roles.Administrator))
        {
            var la = user.LaCode();
            if (la is null)
            {
                return [];
            }

            query = query.Where(c => c.LaCode == la);
        }

        var now = clock.GetUtcNow();
        return await query
            .Join(db.LocalAuthorities, c => c.LaCode, l => l.Code, (c, l) => new { Client = c, LaName = l.Name })
            .OrderBy(x => x.LaName).ThenBy(x => x.Client.RevokedAt != null).ThenByDescending(x => x.Client.CreatedAt)
            .Select(x => new ApiClientRow(x.Client, x.LaName, x.Client.RevokedAt == null && x.Client.ExpiresAt > now))
            .ToListAsync(ct);
    }

    public static bool CanManage(ClaimsPrincipal user, string laCode) =>
        user.IsInRole(Roles.Administrator) || string.Equals(user.LaCode(), laCode, StringComparison.Ordinal);

    /// <summary>Makes a client and its secret. The secret is in the outcome only: it cannot be shown again.</summary>
    public async Task<Outcome<NewApiClient>> CreateAsync(ClaimsPrincipal user, string? laCode, string? name, int expiryMonths, CancellationToken ct = default)
    {
        var errors = new List<Problem>();
        laCode = user.IsInRole(Roles.Administrator) ? laCode?.Trim() : user.LaCode();
        var trimmed = name?.Trim() ?? "";
        if (string.IsNullOrEmpty(laCode) || !await db.LocalAuthorities.AnyAsync(l => l.Code == laCode, ct))
        {
            errors.Add(new Problem("la-code", "Select the local authority whose returns this system will fill"));
        }
        else if (!CanManage(user, laCode))
        {
            errors.Add(new Problem("la-code", "You can only create API clients for your own local authority"));
        }

        if (trimmed.Length == 0)
        {
            errors.Add(new Problem("name", "Enter a name for the system, like 'Mosaic nightly export'"));
        }
        else if (trimmed.Length > NameMaxLength)
        {
            errors.Add(new Problem("name", string.Create(CultureInfo.InvariantCulture, $"Name must be {NameMaxLength} characters or fewer")));
        }
        else if (laCode is not null && await db.Set<ApiClient>().AnyAsync(c => c.LaCode == laCode && c.Name == trimmed && c.RevokedAt == null, ct))
        {
            errors.Add(new Problem("name", $"There is already a client called '{trimmed}': choose another name, or revoke the old one first"));
        }

        if (!ExpiryMonthChoices.Contains(expiryMonths))
        {
            errors.Add(new Problem("expiry", "Select when the secret expires"));
        }

        if (errors.Count > 0)
        {
            return Outcome.Refused(errors).As<NewApiClient>();
        }

        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var client = new ApiClient
        {
            LaCode = laCode!,
            Name = trimmed,
            SecretHash = Hash(secret),
            SecretHint = secret[..8],
            CreatedByUserId = user.UserId() ?? "",
            CreatedByEmail = user.Email() ?? "",
            CreatedAt = now,
            ExpiresAt = now.AddMonths(expiryMonths),
        };
        db.Add(client);
        await db.SaveChangesAsync(ct);
        db.AuditEvents.Add(Audit(user, client, AuditActions.ApiClientCreated, now));
        await db.SaveChangesAsync(ct);
        return Outcome.Done(new NewApiClient(client, secret));
    }

    /// <summary>Stops the client's secret working at once. Not found when there is no such client the user may manage.</summary>
    public async Task<Outcome> RevokeAsync(ClaimsPrincipal user, int clientId, CancellationToken ct = default)
    {
        var client = await db.Set<ApiClient>().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null || !CanManage(user, client.LaCode))
        {
            return Outcome.NotFound("API client not found.");
        }

        if (client.RevokedAt is null)
        {
            var now = clock.GetUtcNow();
            client.RevokedAt = now;
            client.RevokedBy = user.Email();
            db.AuditEvents.Add(Audit(user, client, AuditActions.ApiClientRevoked, now));
            await db.SaveChangesAsync(ct);
        }

        return Outcome.Done();
    }

    /// <summary>The client holding this secret, when it is neither revoked nor expired; records its use.</summary>
    public async Task<ApiClient?> AuthenticateAsync(string? secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Hash(secret);
        var client = await db.Set<ApiClient>().AsNoTracking().SingleOrDefaultAsync(c => c.SecretHash == hash, ct);
        var now = clock.GetUtcNow();
        if (client is null || !client.IsUsableAt(now))
        {
            return null;
        }

        // Last use is shown to people, to the minute; one write a minute per client is enough.
        if (client.LastUsedAt is null || now - client.LastUsedAt.Value >= TimeSpan.FromMinutes(1))
        {
            await db.Set<ApiClient>().Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, now), ct);
            client.LastUsedAt = now;
        }

        return client;
    }

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static AuditEvent Audit(ClaimsPrincipal user, ApiClient client, string action, DateTimeOffset at) => new()
    {
        OccurredAt = at,
        UserId = user.UserId(),
        UserEmail = user.Email(),
        LaCode = client.LaCode,
        Action = action,
        NewValue = client.Name,
        Source = "form",
        Detail = JsonSerializer.Serialize(new { apiClientId = client.Id, name = client.Name, expiresAt = client.ExpiresAt }),
    };
}

public sealed record ApiClientRow(ApiClient Client, string LaName, bool IsActive);

/// <summary>A client just made, with its secret: the only time the secret is known.</summary>
public sealed record NewApiClient(ApiClient Client, string Secret);

namespace FgcReturns.Core;

namespace FgcReturns.TestSupport;

package pagereader

// Test hooks for the external test package (pagereader_test).
var (
	SharedEngine    = engine
	CorpusPDFs      = corpusPDFs
	ReadCorpusFile  = readCorpusFile
	PageWords       = pageWords
	OtherInvoicePDF = pageShowsOtherInvoice
)

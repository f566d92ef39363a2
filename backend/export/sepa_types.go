package export

import "encoding/xml"

// nsPain001 is the namespace of the ISO 20022 customer credit transfer
// initiation, version 09, the version of the EPC SEPA rulebooks since 2023.
const nsPain001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// The pain.001.001.09 message as written, only the elements SEPA credit
// transfers use, in schema order (encoding/xml writes fields in
// declaration order).

type painDocument struct {
	XMLName xml.Name  `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 Document"`
	Initn   painInitn `xml:"CstmrCdtTrfInitn"`
}

type painInitn struct {
	GrpHdr painGroupHeader `xml:"GrpHdr"`
	PmtInf painPmtInf      `xml:"PmtInf"`
}

type painGroupHeader struct {
	MsgID    string    `xml:"MsgId"`
	CreDtTm  string    `xml:"CreDtTm"`
	NbOfTxs  int       `xml:"NbOfTxs"`
	CtrlSum  string    `xml:"CtrlSum"`
	InitgPty painParty `xml:"InitgPty"`
}

type painParty struct {
	Name string `xml:"Nm"`
}

type painPmtInf struct {
	PmtInfID    string      `xml:"PmtInfId"`
	PmtMtd      string      `xml:"PmtMtd"`
	BtchBookg   bool        `xml:"BtchBookg"`
	NbOfTxs     int         `xml:"NbOfTxs"`
	CtrlSum     string      `xml:"CtrlSum"`
	ServiceCode string      `xml:"PmtTpInf>SvcLvl>Cd"`
	ReqdExctnDt string      `xml:"ReqdExctnDt>Dt"`
	Dbtr        painParty   `xml:"Dbtr"`
	DbtrIBAN    string      `xml:"DbtrAcct>Id>IBAN"`
	DbtrAgt     painAgent   `xml:"DbtrAgt"`
	ChrgBr      string      `xml:"ChrgBr"`
	Txs         []painCdtTx `xml:"CdtTrfTxInf"`
}

// painAgent is a bank. Without a BIC, SEPA's IBAN-only rule asks for
// Othr/Id "NOTPROVIDED" where the schema requires an agent. Othr is a
// pointer: encoding/xml would write an empty <Othr/> for an omitted
// "Othr>Id" path, and the schema requires Id inside it.
type painAgent struct {
	BICFI string     `xml:"FinInstnId>BICFI,omitempty"`
	Other *painOther `xml:"FinInstnId>Othr"`
}

type painOther struct {
	ID string `xml:"Id"`
}

type painCdtTx struct {
	EndToEndID string      `xml:"PmtId>EndToEndId"`
	Amount     painAmount  `xml:"Amt>InstdAmt"`
	CdtrAgt    *painAgent  `xml:"CdtrAgt"`
	Cdtr       painParty   `xml:"Cdtr"`
	CdtrIBAN   string      `xml:"CdtrAcct>Id>IBAN"`
	RmtInf     *painRmtInf `xml:"RmtInf"`
}

type painAmount struct {
	Currency string `xml:"Ccy,attr"`
	Value    string `xml:",chardata"`
}

type painRmtInf struct {
	Ustrd string `xml:"Ustrd"`
}

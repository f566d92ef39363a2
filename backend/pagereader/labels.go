package pagereader

// Labels are matched in folded text (lower case, no diacritics: "fällig"
// is "fallig", "échéance" is "echeance", "ß" is "s").

var invoiceNumberLabels = []label{
	lbl(0.85, `rechnungs\s*-?\s*(nummer|nr\b)|gutschrifts?\s*-?\s*(nummer|nr\b)|belegnummer|beleg-?nr\b`),
	lbl(0.85, `invoice\s*(number|no\b|nr\b|#|id\b)|credit\s*note\s*(number|no\b|#)`),
	lbl(0.85, `n\s*[°o]\s*(de\s*)?facture|facture\s*n\s*[°o]|numero\s*de\s*facture|facture\s*numero`),
	lbl(0.85, `factuur\s*-?\s*(nummer|nr\b|no\b)|creditnota\s*-?\s*(nummer|nr\b)`),
	lbl(0.85, `\(\d{3}\)\s*nr\b`), // "Handelsrechnung (380) Nr. 471102": the UNTDID type code
	lbl(0.8, `(rechnung|gutschrift|rechnungskorrektur|invoice|facture|factuur)\s*(nr|no|n\s*°)\b`),
	lbl(0.8, `(rechnung|gutschrift|invoice|facture|factuur|creditnota|avoir)\s*#`),
	lbl(0.6, `^(rechnung|invoice|facture|factuur|gutschrift|credit\s*note|creditnota)\b`),
}

// notOwnInvoice: references to another invoice ("N° de facture associée",
// "Bezug auf Rechnung").
const notOwnInvoice = `associe|bezug|original|ursprung|related|referenz|gutschrift zu|corrige|vorherige|previous|initial`

var issueDateLabels = []label{
	lbl(0.85, `rechnungsdatum|belegdatum|ausstellungsdatum|invoice\s*date|date\s*of\s*(issue|invoice)|issue\s*date|issued\s*(at|on)|date\s*de\s*(la\s*)?facture|date\s*d'emission|factuurdatum|datum\s*factuur|gutschriftsdatum`).except(notOwnInvoice),
	lbl(0.6, `^(datum|date|dated|le|du)\b`).except(`due|echeance|livraison|delivery|liefer|leistung|fallig|debut|fin\b|associe|shipment|order|bestell|commande|auftrag|period|zeitraum|valid|mandat|versand|payment|paiement|zahlung|prestation|reception`),
}

var dueDateLabels = []label{
	lbl(0.85, `falligkeitsdatum|fallig\s*(am|bis|zum)|zahlbar\s*(bis|am)|zahlungsziel|due\s*date|payment\s*due|due\s*(on|by)|date\s*d'echeance|echeance|vervaldatum|vervaldag|uiterste\s*betaaldatum|betalen\s*voor|remit\s*until|pay(able)?\s*(by|until|before)|a\s*payer\s*avant|payable\s*avant`),
	lbl(0.75, `^falligkeit\b|bis\s*zum`),
	lbl(0.6, `netto\s*bis|zahlbar.*\bbis\b|innerhalb.*\bbis\b|within.*\b(until|by)\b|avant\s*le`),
}

var currencyLabels = []label{
	lbl(0.85, `wahrung|currency|devise|valuta|betrage\s*in|amounts?\s*in|montants?\s*en|bedragen\s*in`),
}

var buyerRefLabels = []label{
	lbl(0.8, `leitweg-?id|buyer\s*reference|referenz\s*des\s*kaufers|your\s*reference|ihre\s*referenz|reference\s*acheteur|service\s*executant|uw\s*referentie|uw\s*kenmerk`),
}

var orderLabels = []label{
	lbl(0.8, `bestellnummer|bestell-?nr|^bestellung\b|auftragsnummer|purchase\s*order|order\s*(no\b|number)|po\s*(no\b|number|#)|bon\s*de\s*commande|inkoopordernummer|ordernummer|your\s*order`),
}

// Totals. A total label is looked up in the first segment of a line or as
// a column header; the amount is the last money amount to its right.
var (
	lineNetLabels = []label{
		lbl(0.85, `positionssumme|summe\s*(der\s*)?positionen|positionen\s*netto|warenwert\s*netto|zwischensumme|sub-?\s*total|total\s*(of\s*)?lines|line\s*total|somme\s*des\s*lignes|total\s*lignes|subtotaal|totaal\s*regels`),
	}
	allowanceLabels = []label{
		lbl(0.8, `(gesamtbetrag\s*der\s*)?abschlage|nachlasse|allowances|total\s*remises?|remises\s*globales|kortingen`),
	}
	chargeLabels = []label{
		lbl(0.8, `(gesamtbetrag\s*der\s*)?zuschlage|charges|total\s*(frais|charges)|toeslagen`),
	}
	taxExclusiveLabels = []label{
		lbl(0.85, `rechnungssumme\s*(ohne|exkl|excl|netto)|summe\s*netto|gesamt\s*netto|nettosumme|nettobetrag|gesamtbetrag\s*netto|^netto\b|net\s*total|total\s*net|total\s*(excl|excluding|before|without)|^total\s*ht\b|montant\s*(total\s*)?ht\b|total\s*hors\s*taxes?|totaal\s*(excl|exclusief)|subtotaal\s*excl|netto\s*bedrag`),
	}
	taxLabels = []label{
		lbl(0.85, `steuerbetrag|umsatzsteuerbetrag|mwst\.?\s*(betrag|gesamt)|ust\.?\s*(betrag|gesamt)|vat\s*(total|amount)|total\s*(vat|tax)|tax\s*(total|amount)|total\s*tva|montant\s*(de\s*la\s*)?tva|totaal\s*btw|btw\s*bedrag`).except(`satz|rate|taux|%\s*$`),
		lbl(0.7, `\b(mwst|ust|umsatzsteuer|mehrwertsteuer|vat|tax|tva|btw)\b`).except(`id\b|nr\b|ident|number|numero|n°|reg|clause|exempt|befreit|satz|aufschlusselung|breakdown|detail|excl|ohne|hors|incl|inkl|zzgl\.?$`),
	}
	taxInclusiveLabels = []label{
		lbl(0.85, `bruttosumme|rechnungssumme\s*brutto|gesamtbetrag\s*brutto|summe\s*brutto|bruttobetrag|^brutto\b|endsumme|gesamtsumme|rechnungsbetrag|total\s*(incl|including|gross)|gross\s*total|total\s*ttc|montant\s*ttc|totaal\s*(incl|inclusief)|^gesamtbetrag\b|^gesamt\b|^total\b|^totaal\b`).except(`netto|\bnet\b|\bht\b|excl|ohne|ust\.?$|vat$|tva$|lines|positionen`),
	}
	prepaidLabels = []label{
		lbl(0.85, `erhaltene\s*anzahlung|anzahlung|bereits\s*(bezahlt|gezahlt)|vorauszahlung|prepaid|paid\s*amount|amount\s*paid|already\s*paid|acompte|deja\s*paye|montant\s*paye|vooruitbetaald|reeds\s*betaald|aanbetaling`),
	}
	payableLabels = []label{
		lbl(0.9, `zahlbetrag|zu\s*zahlen|offener\s*betrag|amount\s*due|due\s*payable|balance\s*due|total\s*due|amount\s*payable|net\s*a\s*payer|reste\s*a\s*payer|montant\s*a\s*payer|total\s*a\s*payer|te\s*betalen|openstaand\s*bedrag`),
	}
)

// Package matching is the 3-way match of an invoice against purchase orders
// and goods receipts (docs/ARCHITECTURE.md §5): did we order it, did it
// arrive, and is it billed at the ordered price and not more often than it
// arrived? Pure domain code: standard library and the domain packages
// invoice, purchasing and decimal; storage, UI and the CLI call it.
//
// # Finding the orders
//
// FindCandidates trusts the PO number the invoice quotes (BT-13, possibly
// several: "4711, 4712"). Only when none of them is known does it guess
// from the vendor's open orders whose value is within Config.AmountPct of
// the invoice net and whose order date lies in Config.DateWindowDays
// before the issue date.
//
// # Pairing lines
//
// Match pairs invoice lines with PO lines in passes of falling evidence,
// each pass one-to-one and greedy over a sorted list of pairs so the result
// never depends on map order:
//
//  1. item code: the PO line's item code appears in the invoice line's
//     name or is its line id (EN 16931 has no buyer item code on the line
//     model, so the name is where sellers print it);
//  2. description: the normalised word sets of the names are similar
//     (Dice coefficient at least 0.5);
//  3. amount: same unit price and a quantity equal to what was ordered,
//     received or is still open;
//  4. an invoice line left over whose item code or description matches a
//     PO line already taken shares it (one delivery billed on two lines);
//  5. position: a line left over takes a free PO line at the same position
//     when price or quantity agrees.
//
// # Judging a pair
//
// Quantities are cumulative per PO line: previously billed (Candidate.Billed)
// plus earlier lines of this invoice plus this line, compared with what was
// ordered and what was received. Billing beyond the receipts but within the
// order is "not yet received" (receipt_missing, the goods may still come);
// beyond both it is over-billing (po_quantity_variance, error); beyond the
// order but covered by receipts is a quantity variance (the vendor shipped
// more and we kept it). Prices are the invoice's unit price (BT-146) against
// the PO's. Credit notes count negative: they give billed quantity back.
//
// Invoices without lines (MINIMUM, BASIC WL) are matched at header level:
// their net against the open value of the candidate orders.
package matching

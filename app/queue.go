package app

// ApprovalQueue is the user's approval work list: invoices they can
// approve themselves, through a delegation, and the overdue ones.
func (a *App) ApprovalQueue() (QueueView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return QueueView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	q, err := s.ApprovalQueue(ctx)
	if err != nil {
		return QueueView{}, err
	}
	out := QueueView{Mine: make([]InvoiceSummary, 0, len(q.Mine)), Delegated: make([]InvoiceSummary, 0, len(q.Delegated)),
		Overdue: make([]OverdueView, 0, len(q.Overdue))}
	for _, x := range q.Mine {
		out.Mine = append(out.Mine, InvoiceSummary(x))
	}
	for _, x := range q.Delegated {
		out.Delegated = append(out.Delegated, InvoiceSummary(x))
	}
	for _, x := range q.Overdue {
		out.Overdue = append(out.Overdue, OverdueView{Invoice: InvoiceSummary(x.InvoiceSummary), Waited: x.Waited, Notify: strs(x.Notify)})
	}
	return out, nil
}

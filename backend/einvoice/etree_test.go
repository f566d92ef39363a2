package einvoice

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// node is a minimal element tree, the test's second and independent way
// of reading a document: no structs, no mapping code of the package, just
// every element with its attributes and text.
type node struct {
	name     string // local name
	attrs    map[string]string
	text     strings.Builder
	children []*node
}

func parseTree(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var top *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				top = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if top == nil {
		return nil, errors.New("no root element")
	}
	return top, nil
}

// all returns the elements at a slash-separated path of local names below
// n, in document order.
func (n *node) all(path string) []*node {
	cur := []*node{n}
	for _, step := range strings.Split(path, "/") {
		var next []*node
		for _, c := range cur {
			for _, ch := range c.children {
				if ch.name == step {
					next = append(next, ch)
				}
			}
		}
		cur = next
	}
	return cur
}

// first is the first element at path, or nil.
func (n *node) first(path string) *node {
	if all := n.all(path); len(all) > 0 {
		return all[0]
	}
	return nil
}

// val is the trimmed text at path and whether the element exists.
func (n *node) val(path string) (string, bool) {
	e := n.first(path)
	if e == nil {
		return "", false
	}
	return strings.TrimSpace(e.text.String()), true
}

func (n *node) str() string { return strings.TrimSpace(n.text.String()) }

package main

import rego.v1

deny_placeholder contains msg if {
	input.placeholder
	msg := "placeholder"
}

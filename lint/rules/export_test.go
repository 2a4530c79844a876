package rules

// ConfigFileKinds gives the differential tests the flags that name a control-plane file.
var ConfigFileKinds = configFileKinds

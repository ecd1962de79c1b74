@_exported import NianbaoExtract
@_exported import NianbaoModel
@_exported import NianbaoRender
@_exported import NianbaoRules
@_exported import NianbaoText
@_exported import NianbaoReaders

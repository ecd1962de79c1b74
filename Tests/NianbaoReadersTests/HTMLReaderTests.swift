import Foundation
import Testing

@testable import NianbaoReaders

@Suite struct HTMLReaderTests {
    static let table = """
        <table border="1">
          <tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
              <td colspan="7">申请人情况</td></tr>
          <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
          <tr><td>商业<br>企业</td><td><p>科研</p><p>机构</p></td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
          <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
          <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td><td>0</td><td>&nbsp;</td><td></td><td>0</td><td>0</td><td>1</td></tr>
          <tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
        </table>
        """

    static func page(charset: String) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=\(charset)">
        <title>某县人民政府2024年政府信息公开工作年度报告</title>
        <style>p { color: red }</style><script>var x = "一、总体情况 收到和处理政府信息公开申请";</script></head>
        <body>
        <div class="nav"><a href="/">首页</a> | <a href="/gk">政务公开</a></div>
        <nav><ul><li>机构概况</li><li>政策文件</li></ul></nav>
        <div class="article">
          <h1>某县人民政府2024年政府信息公开工作年度报告</h1>
          <div class="content">
            <p>　　本报告依据《中华人民共和国政府信息公开条例》编制。</p>
            <p>一、总体情况</p>
            <p>2024年，我县
            认真贯彻落实《条例》。</p>
            <p>三、收到和处理政府信息公开申请情况</p>
            \(table)
            <p>六、其他需要报告的事项</p>
          </div>
        </div>
        <div class="footer">版权所有：某县人民政府 <span style="display: none">隐藏</span></div>
        </body></html>
        """
    }

    static let expected = """
        某县人民政府2024年政府信息公开工作年度报告
        本报告依据《中华人民共和国政府信息公开条例》编制。
        一、总体情况
        2024年，我县认真贯彻落实《条例》。
        三、收到和处理政府信息公开申请情况
        （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
        自然人\t法人或其他组织\t总计
        商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
        一、本年新收政府信息公开申请数量\t3\t1\t0\t0\t0\t0\t4
        三、本年度办理结果\t（一）予以公开\t1\t0\t\t\t0\t0\t1
        （二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0
        六、其他需要报告的事项
        """

    @Test func utf8PageLocatesTheReport() throws {
        let bytes = Array(Self.page(charset: "utf-8").utf8)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "index.html") == .html)
        let (text, encoding) = try HTMLReader.text(from: bytes)
        #expect(encoding == "utf-8")
        #expect(text == Self.expected)
    }

    @Test func gbkPageGivesIdenticalText() throws {
        let gbk = encodeGB18030(Self.page(charset: "gb2312"))
        #expect(String(validating: gbk[...], as: UTF8.self) == nil)
        let (text, encoding) = try HTMLReader.text(from: gbk)
        #expect(encoding == "gb18030")
        #expect(text == Self.expected)
        // Undeclared GBK falls back to GB18030 too; a UTF-8 BOM page reads as UTF-8.
        let undeclared = encodeGB18030(Self.page(charset: "utf-8"))
        #expect(try HTMLReader.text(from: undeclared) == (Self.expected, "gb18030"))
        let bom = [0xEF, 0xBB, 0xBF] + Array(Self.page(charset: "gbk").utf8)
        #expect(try HTMLReader.text(from: bom) == (Self.expected, "utf-8"))
    }

    @Test func metaCharsetAttributeAndUTF16() throws {
        let page = "<html><head><meta charset=\"GBK\"></head><body><p>一、总体情况</p><table><tr><td>甲</td><td>乙</td></tr></table></body></html>"
        let (text, encoding) = try HTMLReader.text(from: encodeGB18030(page))
        #expect(encoding == "gb18030")
        #expect(text == "一、总体情况\n甲\t乙")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in page.utf16 { utf16.append(UInt8(u & 0xFF)); utf16.append(UInt8(u >> 8)) }
        #expect(FormatDetector.detect(bytes: utf16, fileName: "x.htm") == .html)
        #expect(try HTMLReader.text(from: utf16) == ("一、总体情况\n甲\t乙", "utf-16le"))
    }

    @Test func layoutTablesOnlyBreakLines() throws {
        let page = """
            <html><body><table width="100%"><tr><td>栏目导航</td><td>
            <p>某市2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文</p>
            <p>三、收到和处理政府信息公开申请情况</p>
            <table><tr><td>项目</td><td>数量</td></tr><tr><td>（七）总计</td><td>5</td></tr></table>
            </td></tr><tr><td colspan="2">网站标识码 1234</td></tr></table></body></html>
            """
        let (text, _) = try HTMLReader.text(from: Array(page.utf8))
        #expect(text == """
            某市2023年政府信息公开工作年度报告
            一、总体情况
            正文
            三、收到和处理政府信息公开申请情况
            项目\t数量
            （七）总计\t5
            """)
    }

    @Test func wholeBodyWhenNoReportMarkers() throws {
        let page = "<p>第一段</p><div>第二段<br>第三段</div><ul><li>甲</li><li>乙</li></ul>"
        #expect(try HTMLReader.text(from: Array(page.utf8)).text == "第一段\n第二段\n第三段\n甲\n乙")
    }
}

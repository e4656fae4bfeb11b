; SmartDial (智能外呼助手) Windows installer, built by .ci/release with Debian's makensis.
;
; Why a hand-written script and not Tauri's NSIS bundler: Tauri downloads its NSIS plugin at
; bundle time, which cannot work offline. This script needs only stock NSIS 3.
;
; makensis -DVERSION=0.1.0 -DSRCDIR=<folder with the three files> -DOUTFILE=<setup.exe>
;          [-DICON=<icon.ico>] [-DSIGN_CMD="<command %1>"] smartdial.nsi
; SRCDIR holds smartdial-desktop.exe, smartdial.exe and WebView2Loader.dll.
;
; Per user, no administrator rights: everything goes under %LOCALAPPDATA% and HKCU.
; Silent use: setup.exe /S [/D=folder]; uninstall.exe /S keeps the user's data,
; uninstall.exe /S /DELETEDATA removes it too.

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=folder"
!endif
!ifndef OUTFILE
  !define OUTFILE "SmartDial_${VERSION}_x64-setup.exe"
!endif
!ifndef ICON
  !define ICON "../../src-tauri/icons/icon.ico" ; makensis runs in this folder
!endif

; 64-bit stub: right for a 64-bit app, and the only one Debian's wine64 runs (smoke test).
Target amd64-unicode
Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true
RequestExecutionLevel user

!define APP_KEY "SmartDial"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
!define SHORTCUT_NAME "智能外呼助手"
!define APP_EXE "smartdial-desktop.exe"
; Evergreen WebView2 runtime's client id (Microsoft's documented detection key).
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "智能外呼助手 SmartDial"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\SmartDial"
InstallDirRegKey HKCU "Software\${APP_KEY}" "InstallDir"
BrandingText "SmartDial ${VERSION}"

!ifdef SIGN_CMD
  !finalize '${SIGN_CMD}'
  !uninstfinalize '${SIGN_CMD}'
!endif

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "SmartDial"
VIAddVersionKey /LANG=0 "FileDescription" "智能外呼助手 SmartDial Setup"
VIAddVersionKey /LANG=0 "CompanyName" "SmartDial"
VIAddVersionKey /LANG=0 "LegalCopyright" "© 2026 SmartDial developers · MIT License"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default: Chinese unless Windows runs in English.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString SecApp ${LANG_SIMPCHINESE} "智能外呼助手(必需)"
LangString SecApp ${LANG_ENGLISH} "SmartDial (required)"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString RunNow ${LANG_SIMPCHINESE} "现在打开智能外呼助手"
LangString RunNow ${LANG_ENGLISH} "Open SmartDial now"
LangString UnSecApp ${LANG_SIMPCHINESE} "删除程序(您的数据会保留)"
LangString UnSecApp ${LANG_ENGLISH} "Remove the program (your data is kept)"
LangString UnSecData ${LANG_SIMPCHINESE} "同时删除我的数据:发送记录、设置和日志(无法恢复)"
LangString UnSecData ${LANG_ENGLISH} "Also delete my data (history, settings, logs)"
LangString NoWebView2 ${LANG_SIMPCHINESE} "智能外呼助手已安装。$\r$\n$\r$\n\
它用微软的“WebView2 运行库”显示窗口,但这台电脑上还没有。\
Windows 11 和大多数 Windows 10 已经自带;没有的话,打开应用时窗口会是空白或无法打开。$\r$\n$\r$\n\
请安装它(免费,来自微软,约 2 分钟):点“是”打开微软的下载页面,\
下载“常青版引导程序(Evergreen Bootstrapper)”并运行,然后再打开智能外呼助手。$\r$\n$\r$\n\
现在打开下载页面吗?"
LangString NoWebView2 ${LANG_ENGLISH} "SmartDial is installed.$\r$\n$\r$\n\
It shows its window with Microsoft's $\"WebView2 Runtime$\", which this computer does not have yet. \
Windows 11 and most Windows 10 PCs already include it; without it the app's window stays blank or does not open.$\r$\n$\r$\n\
Please install it (free, from Microsoft, about 2 minutes): click Yes to open Microsoft's download page, \
download the $\"Evergreen Bootstrapper$\" and run it, then open SmartDial again.$\r$\n$\r$\n\
Open the download page now?"

Section "$(SecApp)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${SRCDIR}/${APP_EXE}"
  File "${SRCDIR}/smartdial.exe"
  ; The gnu build loads WebView2 through this DLL, which must sit beside the exe.
  File "${SRCDIR}/WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  SetShellVarContext current
  CreateShortcut "$SMPROGRAMS\${SHORTCUT_NAME}.lnk" "$INSTDIR\${APP_EXE}"

  WriteRegStr HKCU "Software\${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "智能外呼助手 SmartDial"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "SmartDial"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${SHORTCUT_NAME}.lnk" "$INSTDIR\${APP_EXE}"
SectionEnd

; Installing never fails for want of WebView2 (the CLI works without it), but say plainly
; what is missing and where to get it. Silent installs skip the question.
Section "-WebView2"
  Call HasWebView2
  Pop $0
  ${If} $0 == 0
    MessageBox MB_YESNO|MB_ICONINFORMATION "$(NoWebView2)" /SD IDNO IDNO +2
      ExecShell "open" "${WEBVIEW2_URL}"
  ${EndIf}
SectionEnd

; Pushes 1 when an Evergreen WebView2 runtime is registered (per machine or per user), else 0.
Function HasWebView2
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $1 == ""
  ${OrIf} $1 == "0.0.0.0"
    ReadRegStr $1 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $1 == ""
  ${OrIf} $1 == "0.0.0.0"
    ReadRegStr $1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $1 == ""
  ${OrIf} $1 == "0.0.0.0"
    Push 0
  ${Else}
    Push 1
  ${EndIf}
FunctionEnd

Section "un.$(UnSecApp)" UnSecApp
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\${SHORTCUT_NAME}.lnk"
  Delete "$DESKTOP\${SHORTCUT_NAME}.lnk"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\smartdial.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP_KEY}"
SectionEnd

; Unticked by default: uninstalling (or updating by reinstalling) never loses send history.
; The AccessKey secrets live in Windows Credential Manager and are not touched.
Section /o "un.$(UnSecData)" UnSecData
  SetShellVarContext current
  RMDir /r "$APPDATA\smartdial\SmartDial"
  RMDir "$APPDATA\smartdial"
  RMDir /r "$LOCALAPPDATA\smartdial\SmartDial"
  RMDir "$LOCALAPPDATA\smartdial"
  ; The web view's own storage (Tauri keeps it under the app identifier).
  RMDir /r "$LOCALAPPDATA\com.smartdial.app"
SectionEnd

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
